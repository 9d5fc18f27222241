// `flowline gpus` and `flowline sim-job` as a user runs them: real processes, real state files.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

using ::testing::HasSubstr;

struct Ran {
  int status = -1;  // exit code, or 128+signal
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class GpusCli : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/flowline-gpus-it-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<std::string> env_with(const std::map<std::string, std::string>& extra) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
      std::string entry = *e;
      std::string key = entry.substr(0, entry.find('='));
      if (!extra.count(key) && key != "FLOWLINE_NVML_LIBRARY" && key != "FLOWLINE_SIM_STATE")
        env.push_back(entry);
    }
    for (const auto& [k, v] : extra)
      if (!v.empty()) env.push_back(k + "=" + v);
    return env;
  }

  // Starts flowline with stdout on a pipe (returned) and stderr into a file.
  pid_t start(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra,
              int* out_fd, const std::string& err_path) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return -1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    std::vector<std::string> argv_s = {FLOWLINE_EXE};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    auto env_s = env_with(extra);
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawn(&pid, FLOWLINE_EXE, &actions, nullptr, argv.data(), envp.data()) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    *out_fd = pipe_fds[0];
    return pid;
  }

  static std::string read_all(int fd) {
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, n);
    close(fd);
    return text;
  }

  static std::string read_line(int fd) {
    std::string line;
    char c;
    while (read(fd, &c, 1) == 1 && c != '\n') line += c;
    return line;
  }

  static int wait_status(pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  Ran run(const std::vector<std::string>& args,
          const std::map<std::string, std::string>& extra = {}) {
    std::string err_path = dir_ + "/stderr";
    int out_fd = -1;
    pid_t pid = start(args, extra, &out_fd, err_path);
    Ran ran;
    if (pid < 0) return ran;
    ran.out = read_all(out_fd);
    ran.status = wait_status(pid);
    ran.err = slurp(err_path);
    return ran;
  }

  // `flowline gpus --json` on the simulated GPUs of this test.
  nlohmann::json gpus(const std::string& spec = "4x24000") {
    Ran ran = run({"gpus", "--json", "--sim-gpus", spec, "--state-dir", dir_});
    EXPECT_EQ(ran.status, 0) << ran.err;
    return nlohmann::json::parse(ran.out, nullptr, false);
  }

  std::map<std::string, std::string> sim_env(const std::string& visible) {
    return {{"FLOWLINE_SIM_STATE", dir_ + "/sim"}, {"CUDA_VISIBLE_DEVICES", visible}};
  }

  std::string dir_;
};

TEST_F(GpusCli, JsonOfFourSimulatedGpus) {
  auto json = gpus();
  ASSERT_TRUE(json.is_object());
  ASSERT_EQ(json.size(), 4u);
  for (const char* key : {"0", "1", "2", "3"}) {
    const auto& g = json[key];
    EXPECT_EQ(g.size(), 14u);
    EXPECT_EQ(g["name"], "FlowLine Simulated GPU");
    EXPECT_EQ(g["status"], "available");
    EXPECT_EQ(g["free_memory"], 24000);
    EXPECT_EQ(g["total_memory"], 24000);
    EXPECT_EQ(g["simulated"], true);
    EXPECT_EQ(g["all_process_num"], 0);
    EXPECT_TRUE(g["error"].is_null());
    EXPECT_THAT(g["uuid"].get<std::string>(), HasSubstr("GPU-sim-"));
  }
  EXPECT_NE(json["0"]["uuid"], json["1"]["uuid"]);
}

TEST_F(GpusCli, TableIsLabelledSimulatedAndDisabledGpusShow) {
  Ran ran = run({"gpus", "--sim-gpus", "2x24000,1x80000", "--state-dir", dir_, "--gpus", "0,2"},
                {{"COLUMNS", "120"}});
  ASSERT_EQ(ran.status, 0) << ran.err;
  EXPECT_THAT(ran.out, HasSubstr("SIMULATED"));
  EXPECT_THAT(ran.out, HasSubstr("disabled"));
  EXPECT_THAT(ran.out, HasSubstr("80000/80000"));
}

TEST_F(GpusCli, NoNvmlSaysSoAndPrintsAnEmptyObject) {
  Ran ran = run({"gpus", "--json"}, {{"FLOWLINE_NVML_LIBRARY", dir_ + "/libnvidia-ml.so.1"}});
  EXPECT_EQ(ran.status, 0);
  EXPECT_EQ(ran.out, "{}\n");
  EXPECT_EQ(std::count(ran.err.begin(), ran.err.end(), '\n'), 1) << ran.err;
  EXPECT_THAT(ran.err, HasSubstr("CPU-only"));
}

TEST_F(GpusCli, BadSpecShowsTheRightForm) {
  Ran ran = run({"gpus", "--sim-gpus", "4*24000", "--state-dir", dir_});
  EXPECT_EQ(ran.status, 2);
  EXPECT_THAT(ran.err, HasSubstr("4x24000"));
}

TEST_F(GpusCli, SimJobHoldsMemoryAndAnotherGetsPyTorchsOutOfMemory) {
  gpus();
  std::string err_path = dir_ + "/job-a.err";
  int out_fd = -1;
  pid_t a = start({"sim-job", "--mem", "20000", "--secs", "60"}, sim_env("0,1"), &out_fd, err_path);
  ASSERT_GT(a, 0);
  ASSERT_THAT(read_line(out_fd), HasSubstr("holding 20000 MiB"));  // claimed
  auto json = gpus();
  EXPECT_EQ(json["0"]["free_memory"], 4000);
  EXPECT_EQ(json["1"]["free_memory"], 4000);
  EXPECT_EQ(json["2"]["free_memory"], 24000);
  ASSERT_EQ(json["0"]["processes"].size(), 1u);
  EXPECT_EQ(json["0"]["processes"][0]["pid"], a);
  EXPECT_EQ(json["0"]["processes"][0]["used_memory"], 20000);
  EXPECT_FALSE(json["0"]["processes"][0]["user"].is_null());

  Ran b = run({"sim-job", "--mem", "8000", "--secs", "0"}, sim_env("2,1"));
  EXPECT_EQ(b.status, 1);
  EXPECT_THAT(b.err, HasSubstr("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate "
                               "7.81 GiB. GPU 1 has a total capacity of 23.44 GiB of which "
                               "3.91 GiB is free."));
  EXPECT_EQ(gpus()["2"]["free_memory"], 24000);  // all or nothing: GPU 2 was not claimed

  kill(a, SIGTERM);
  EXPECT_EQ(wait_status(a), 128 + SIGTERM);
  close(out_fd);
  EXPECT_EQ(gpus()["0"]["free_memory"], 24000);
}

TEST_F(GpusCli, MemoryIsReleasedAfterExitWithItsCode) {
  gpus();
  Ran ran = run({"sim-job", "--mem", "1000", "--secs", "0.05", "--exit", "3"}, sim_env("3"));
  EXPECT_EQ(ran.status, 3) << ran.err;
  EXPECT_THAT(ran.out, HasSubstr("holding 1000 MiB"));
  EXPECT_EQ(gpus()["3"]["free_memory"], 24000);
}

TEST_F(GpusCli, MemoryOfAKilledJobIsReleased) {
  gpus();
  int out_fd = -1;
  pid_t job =
      start({"sim-job", "--mem", "5000", "--secs", "60"}, sim_env("0"), &out_fd, dir_ + "/job.err");
  ASSERT_GT(job, 0);
  ASSERT_THAT(read_line(out_fd), HasSubstr("holding"));
  EXPECT_EQ(gpus()["0"]["free_memory"], 19000);
  kill(job, SIGKILL);
  EXPECT_EQ(wait_status(job), 128 + SIGKILL);
  close(out_fd);
  EXPECT_EQ(gpus()["0"]["free_memory"], 24000);
}

TEST_F(GpusCli, ConcurrentJobsNeverOverbookAGpu) {
  gpus();  // GPU 1 has 24000 MiB: four 5000 MiB jobs fit, the fifth and sixth do not
  std::vector<pid_t> jobs;
  std::vector<int> outs;
  for (int i = 0; i < 6; ++i) {
    int out_fd = -1;
    pid_t pid = start({"sim-job", "--mem", "5000", "--secs", "60"}, sim_env("1"), &out_fd,
                      dir_ + "/job" + std::to_string(i) + ".err");
    ASSERT_GT(pid, 0);
    jobs.push_back(pid);
    outs.push_back(out_fd);
  }
  int holding = 0;
  for (int fd : outs) holding += read_line(fd).find("holding") != std::string::npos;  // or EOF
  EXPECT_EQ(holding, 4);
  EXPECT_EQ(gpus()["1"]["free_memory"], 4000);
  int out_of_memory = 0;
  for (size_t i = 0; i < jobs.size(); ++i) {
    kill(jobs[i], SIGTERM);  // a job that already failed is a zombie: no harm
    int status = wait_status(jobs[i]);
    close(outs[i]);
    out_of_memory += status == 1;
    if (status == 1) {
      EXPECT_THAT(slurp(dir_ + "/job" + std::to_string(i) + ".err"),
                  HasSubstr("CUDA out of memory"));
    }
  }
  EXPECT_EQ(out_of_memory, 2);
  EXPECT_EQ(gpus()["1"]["free_memory"], 24000);
}

TEST_F(GpusCli, InjectedErrorsAndForeignProcessesShow) {
  gpus();
  std::string state = dir_ + "/sim";
  EXPECT_EQ(run({"sim-ctl", "--state", state, "error", "2", "*", "15"}).status, 0);
  EXPECT_EQ(run({"sim-ctl", "--state", state, "error", "1", "nvmlDeviceGetPowerUsage", "3"}).status,
            0);
  EXPECT_EQ(run({"sim-ctl", "--state", state, "foreign", "0", "3000", "1"}).status, 0);
  auto json = gpus();
  EXPECT_EQ(json["2"]["status"], "error");
  EXPECT_EQ(json["2"]["error"], "GPU is lost");
  EXPECT_TRUE(json["1"]["power"].is_null());
  EXPECT_EQ(json["1"]["max_power"], 300.0);
  EXPECT_EQ(json["0"]["free_memory"], 21000);
  EXPECT_EQ(json["0"]["processes"][0]["pid"], 1);
  EXPECT_EQ(json["0"]["user_process_num"], 0);
  EXPECT_EQ(json["3"]["status"], "available");
  EXPECT_EQ(run({"sim-ctl", "--state", state, "bogus"}).status, 2);
}

}  // namespace

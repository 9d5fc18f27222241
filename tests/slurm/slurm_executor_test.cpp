// `--executor slurm` against a real slurmctld and slurmd on localhost with four fake GPUs
// (scripts/slurm-local.sh, started by the slurm_local_cluster test these depend on). Root only:
// the cluster is system daemons. Each test runs the real flowline binary in a temp dir.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

namespace fs = std::filesystem;

// run_program() does not search PATH.
std::string squeue() { return "/usr/bin/squeue"; }

std::string slurm_local() { return std::string(FLOWLINE_SOURCE_DIR) + "/scripts/slurm-local.sh"; }

class SlurmExecutor : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root: the local Slurm is system daemons";
    Outcome up = run_program({{slurm_local(), "status"}});
    ASSERT_EQ(up.exit_code, 0) << "Slurm does not answer: run scripts/slurm-local.sh start";
  }
  void TearDown() override {
    // A test that failed half-way must not leave the controller down for the next one.
    if (geteuid() == 0) run_program({{slurm_local(), "controller-start"}});
  }

  Outcome flowline(std::vector<std::string> args) {
    args.insert(args.begin(), {"run", "t.csv", "--batch", "--executor", "slurm"});
    return run_flowline(args, dir_.path());
  }
  int spawn(std::vector<std::string> args, const std::string& log = "flowline.log") {
    args.insert(args.begin(), {"run", "t.csv", "--batch", "--executor", "slurm"});
    return spawn_flowline(args, dir_.path(), log);
  }
  std::string file(const std::string& name) { return dir_.file(name); }
  std::string log() { return read_file(file("flowline.log")); }
  // The table's rows: name -> run_num (the last column once FlowLine wrote it back).
  std::map<std::string, std::string> run_nums() {
    std::map<std::string, std::string> out;
    std::istringstream csv(read_file(file("t.csv")));
    std::string line;
    std::getline(csv, line);
    if (line.substr(line.rfind(',') + 1) != "run_num") return out;
    while (std::getline(csv, line)) out[line.substr(0, line.find(','))] = line.substr(line.rfind(',') + 1);
    return out;
  }
  int ledger_lines() {
    int n = 0;
    for (const auto& entry : fs::directory_iterator(file("ledger"))) n += count_lines(entry.path());
    return n;
  }

  TempDir dir_;
};

// 20 tasks of 0, 1 and 2 GPUs: all done, run_num written back, and every job saw in
// CUDA_VISIBLE_DEVICES (and FLOWLINE_GPUS) exactly the GPUs Slurm says it gave the job.
TEST_F(SlurmExecutor, TwentyMixedTasksRunToCompletionEachSeeingTheGpusSlurmGaveIt) {
  fs::create_directory(file("seen"));
  std::string table = "name,gpus,cmd\n";
  for (int i = 0; i < 20; ++i)
    table += "t" + std::to_string(i) + "," + std::to_string(i % 3) +
             ",echo \"$CUDA_VISIBLE_DEVICES|$SLURM_JOB_GPUS|$FLOWLINE_GPUS\" > seen/$FLOWLINE_TASK_ID\n";
  write_file(file("t.csv"), table);
  Outcome o = flowline({"--max", "8", "--cmd", "{cmd}"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  std::map<std::string, std::string> done = run_nums();
  ASSERT_EQ(done.size(), 20u) << read_file(file("t.csv"));
  for (const auto& [name, run_num] : done) EXPECT_EQ(run_num, "1") << name;
  for (int i = 0; i < 20; ++i) {
    std::string seen = read_file(file("seen/" + std::to_string(i)));
    seen = seen.substr(0, seen.find('\n'));
    std::string cvd = seen.substr(0, seen.find('|'));
    std::string given = seen.substr(seen.find('|') + 1, seen.rfind('|') - seen.find('|') - 1);
    std::string flowline_gpus = seen.substr(seen.rfind('|') + 1);
    const int gpus = i % 3;
    EXPECT_EQ(cvd, given) << "task " << i << ": " << seen;
    EXPECT_EQ(flowline_gpus, cvd) << "task " << i;
    EXPECT_EQ(gpus == 0 ? 0 : 1 + std::count(cvd.begin(), cvd.end(), ','), gpus)
        << "task " << i << " asked for " << gpus << " GPUs and saw '" << cvd << "'";
  }
}

// A job that fails is retried (--retries 1 allows one); one that dies of CUDA out-of-memory
// twice is requeued without using retries, as locally.
TEST_F(SlurmExecutor, AFailingJobIsRetriedAndAnOomJobIsRequeuedWithoutUsingRetries) {
  write_file(file("t.csv"),
             "name,gpus,cmd\n"
             "flaky,1,if [ ! -e flaky.1 ]; then touch flaky.1; exit 3; fi; echo fine\n"
             "oomy,1,n=$(cat oom.n 2>/dev/null || echo 0); echo $((n+1)) > oom.n; "
             "if [ $n -lt 2 ]; then echo 'RuntimeError: CUDA out of memory. Tried to allocate "
             "2.00 GiB' >&2; exit 1; fi\n");
  Outcome o = flowline({"--retries", "1", "--retry-backoff", "0.1", "--oom-backoff", "0.1",
                        "--cmd", "{cmd}"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_EQ(run_nums(), (std::map<std::string, std::string>{{"flaky", "1"}, {"oomy", "1"}}));
  EXPECT_EQ(read_file(file("oom.n")), "3\n");  // two OOM deaths, then the success
  const std::string said = o.out + o.err;
  EXPECT_NE(said.find("(flaky) failed"), std::string::npos) << said;
  EXPECT_NE(said.find("out of memory"), std::string::npos) << said;
}

// `ctl kill RUN` cancels the Slurm job, and the run's processes (a background child too) end.
TEST_F(SlurmExecutor, KillCancelsTheJobAndEveryProcessOfTheRun) {
  const std::string marker = "slurmkill-" + fs::path(dir_.path()).filename().string();
  write_file(file("t.csv"), "name,gpus,cmd\nlong,1,sleep 1000 & : " + marker +
                                "; echo $SLURM_JOB_ID > job.id; echo $! > child.pid; wait $!\n");
  int pid = spawn({"--cmd", "{cmd}"});
  // `wait $!`: a child killed first makes the run fail, not succeed (a bare `wait` says 0),
  // whichever of them Slurm's SIGTERM reaches first.
  ASSERT_TRUE(wait_until([&] { return count_lines(file("child.pid")) == 1; },
                         std::chrono::seconds(30)))
      << log();
  const std::string job = read_file(file("job.id")).substr(0, read_file(file("job.id")).find('\n'));
  const int child = std::stoi(read_file(file("child.pid")));
  Outcome ls = run_flowline({"ctl", "--table", "t.csv", "ls", "--json"}, dir_.path());
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  EXPECT_NE(ls.out.find("\"job_id\": \"" + job + "\""), std::string::npos) << ls.out;
  // FlowLine does not know a job's GPUs: killgpu says so instead of killing nothing.
  Outcome by_gpu = run_flowline({"ctl", "--table", "t.csv", "killgpu", "0"}, dir_.path());
  EXPECT_NE(by_gpu.exit_code, 0);
  EXPECT_NE((by_gpu.out + by_gpu.err).find("chooses the GPUs"), std::string::npos)
      << by_gpu.out << by_gpu.err;
  Outcome killed = run_flowline({"ctl", "--table", "t.csv", "kill", "1"}, dir_.path());
  ASSERT_EQ(killed.exit_code, 0) << killed.out << killed.err;
  EXPECT_TRUE(wait_until([&] { return kill(child, 0) != 0; }, std::chrono::seconds(30)))
      << "the run's background child " << child << " outlived the cancel";
  EXPECT_TRUE(wait_until([&] {
    Outcome q = run_program({{squeue(), "-h", "-t", "all", "-j", job, "-o", "%T"}});
    return q.out.find("CANCELLED") != std::string::npos;
  })) << "job " << job << " was not cancelled";
  EXPECT_TRUE(wait_until([&] { return log().find("run 1 of task 0 (long) killed") != std::string::npos; }))
      << log();
  kill(pid, SIGTERM);  // the task went back to the queue; its next job is cancelled too
  EXPECT_EQ(wait_for(pid), 130) << log();
  EXPECT_TRUE(wait_until([&] { return processes_with(marker).empty(); }, std::chrono::seconds(30)));
}

// kill -9 of FlowLine with jobs running and pending: another executor is refused the state
// directory, and a restart re-adopts every job by its id; nothing is submitted twice.
TEST_F(SlurmExecutor, KillMinus9AndARestartReadoptPendingAndRunningJobsWithoutSubmittingTwice) {
  fs::create_directory(file("ledger"));
  std::string table = "name,gpus,cmd\n";
  for (int i = 0; i < 6; ++i)
    table += "t" + std::to_string(i) + ",1,echo $SLURM_JOB_ID >> ledger/$FLOWLINE_TASK_ID; sleep 3\n";
  write_file(file("t.csv"), table);
  int pid = spawn({"--max", "6", "--cmd", "{cmd}"});
  // Six one-GPU jobs on four GPUs: four run, two wait in Slurm's queue.
  ASSERT_TRUE(wait_until([&] { return ledger_lines() >= 4; }, std::chrono::seconds(30))) << log();
  Outcome pending = run_program({{squeue(), "-h", "-t", "PENDING", "-o", "%j"}});
  EXPECT_NE(pending.out.find("flowline-"), std::string::npos) << "no job was pending";
  kill(pid, SIGKILL);
  wait_for(pid);

  Outcome local = run_flowline({"run", "t.csv", "--batch", "--cmd", "{cmd}"}, dir_.path());
  EXPECT_EQ(local.exit_code, 2) << local.out << local.err;
  EXPECT_NE(local.err.find("--executor slurm"), std::string::npos) << local.err;

  Outcome again = flowline({"--max", "6", "--cmd", "{cmd}"});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE((again.out + again.err).find("re-adopted run"), std::string::npos) << again.err;
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(count_lines(file("ledger/" + std::to_string(i))), 1) << "task " << i;
  for (const auto& [name, run_num] : run_nums()) EXPECT_EQ(run_num, "1") << name;
}

// With slurmctld stopped FlowLine says so (once) and goes on; the jobs that ran meanwhile are
// recorded, and when Slurm is back the rest of the table runs.
TEST_F(SlurmExecutor, SlurmctldStoppedIsSaidAndFlowLineRecoversWhenItReturns) {
  fs::create_directory(file("ledger"));
  std::string table = "name,gpus,cmd\n";
  for (int i = 0; i < 8; ++i)
    table += "t" + std::to_string(i) + ",1,echo x >> ledger/$FLOWLINE_TASK_ID; sleep 2\n";
  write_file(file("t.csv"), table);
  int pid = spawn({"--max", "8", "--cmd", "{cmd}"});
  ASSERT_TRUE(wait_until([&] { return ledger_lines() >= 1; }, std::chrono::seconds(30))) << log();
  ASSERT_EQ(run_program({{slurm_local(), "controller-stop"}}).exit_code, 0);
  EXPECT_TRUE(wait_until([&] { return log().find("Slurm does not answer") != std::string::npos; },
                         std::chrono::seconds(40)))
      << log();
  ASSERT_EQ(run_program({{slurm_local(), "controller-start"}}).exit_code, 0);
  ASSERT_EQ(wait_for(pid), 0) << log();
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(count_lines(file("ledger/" + std::to_string(i))), 1) << "task " << i << "\n" << log();
  EXPECT_NE(log().find("followed again"), std::string::npos) << log();
}

// A row added to the table while jobs run is run too, and gets its run_num, as locally.
TEST_F(SlurmExecutor, ARowAddedWhileJobsRunIsRunToo) {
  write_file(file("t.csv"), "name,gpus,cmd\na,1,sleep 2\nb,0,sleep 2\n");
  int pid = spawn({"--cmd", "{cmd}"});
  ASSERT_TRUE(wait_until([&] {
    return run_program({{squeue(), "-h", "-o", "%j"}}).out.find("flowline-") != std::string::npos;
  })) << log();
  write_file(file("t.csv.new"), "name,gpus,cmd\na,1,sleep 2\nb,0,sleep 2\nlate,1,echo late\n");
  fs::rename(file("t.csv.new"), file("t.csv"));
  ASSERT_EQ(wait_for(pid), 0) << log();
  std::map<std::string, std::string> done = run_nums();
  EXPECT_EQ(done["late"], "1") << read_file(file("t.csv"));
  EXPECT_EQ(done["a"], "1");
  EXPECT_EQ(done["b"], "1");
}

}  // namespace
}  // namespace flowline::testing

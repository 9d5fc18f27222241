#include "integration/support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace flowline::testing {
namespace {

void drain_into(int fd, std::string& sink) {
  char buf[65536];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n > 0) sink.append(buf, static_cast<size_t>(n));
}

}  // namespace

Outcome run_program(const RunArgs& args) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) return {};
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    if (!args.env.count(kv.substr(0, kv.find('=')))) env_strings.push_back(kv);
  }
  for (const auto& [k, v] : args.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = args.argv;
  for (auto& a : argv_copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    if (!args.cwd.empty() && chdir(args.cwd.c_str()) != 0) _exit(126);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (!args.stdin_text.empty())
    [[maybe_unused]] ssize_t w = write(in[1], args.stdin_text.data(), args.stdin_text.size());
  close(in[1]);
  Outcome o;
  auto deadline = std::chrono::steady_clock::now() + args.timeout;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      o.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    if (poll(fds, 2, static_cast<int>(left.count())) <= 0) continue;
    for (auto& f : fds) {
      if (f.fd >= 0 && (f.revents & (POLLIN | POLLHUP))) {
        size_t before = (&f == &fds[0] ? o.out : o.err).size();
        drain_into(f.fd, &f == &fds[0] ? o.out : o.err);
        if ((&f == &fds[0] ? o.out : o.err).size() == before) {
          close(f.fd);
          f.fd = -1;
          --open_fds;
        }
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
  return o;
}

std::string flowline_exe() {
  const char* exe = std::getenv("FLOWLINE_TEST_EXE");
  return exe && *exe ? exe : FLOWLINE_EXE;
}

Outcome run_flowline(std::vector<std::string> args, const std::string& cwd,
                     std::map<std::string, std::string> env) {
  args.insert(args.begin(), flowline_exe());
  return run_program(RunArgs{std::move(args), cwd, std::move(env), "", std::chrono::milliseconds(120000)});
}

int spawn_program(const std::vector<std::string>& argv_in, const std::string& cwd,
                  const std::string& log_name) {
  std::vector<std::string> argv_s = argv_in;
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string log = cwd + "/" + log_name;
  pid_t pid = fork();
  if (pid == 0) {
    int null_in = open("/dev/null", O_RDONLY);
    int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(null_in, 0);
    dup2(out, 1);
    dup2(out, 2);
    if (chdir(cwd.c_str()) != 0) _exit(126);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int spawn_flowline(const std::vector<std::string>& args, const std::string& cwd,
                   const std::string& log_name, const std::vector<std::string>& prefix) {
  std::vector<std::string> argv = prefix;
  argv.push_back(flowline_exe());
  argv.insert(argv.end(), args.begin(), args.end());
  return spawn_program(argv, cwd, log_name);
}

int wait_for(int pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1000;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

std::vector<int> processes_with(const std::string& marker) {
  std::vector<int> out;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = read_file(e.path().string() + "/cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(marker) != std::string::npos) out.push_back(std::stoi(name));
  }
  return out;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool file_exists(const std::string& path) { return std::filesystem::exists(path); }

int count_lines(const std::string& path) {
  if (!file_exists(path)) return 0;
  std::istringstream in(read_file(path));
  int n = 0;
  for (std::string line; std::getline(in, line);) n += !line.empty();
  return n;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

}  // namespace flowline::testing

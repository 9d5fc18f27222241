#pragma once
// Helpers for executor tests that run real processes: temp dirs, FIFOs to learn (without
// sleeping) that a command reached a point, and bounded waits on the executor's descriptors.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "exec/executor.hpp"
#include "exec/local/proc.hpp"
#include "support/temp_dir.hpp"

namespace flowline::exec_test {

using flowline::testing::TempDir;

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// A FIFO the test reads from: a command signals "I got here" by writing a line into it.
class Fifo {
 public:
  explicit Fifo(std::string path) : path_(std::move(path)) {
    if (mkfifo(path_.c_str(), 0600) != 0) std::abort();
    fd_ = open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) std::abort();
  }
  ~Fifo() { close(fd_); }
  const std::string& path() const { return path_; }
  // The text written so far, once something was written (within timeout_ms); "" on timeout.
  std::string read_line(int timeout_ms) {
    std::string text;
    int64_t deadline = steady_ms() + timeout_ms;
    while (text.find('\n') == std::string::npos) {
      int64_t left = deadline - steady_ms();
      pollfd pfd{fd_, POLLIN, 0};
      if (left <= 0 || poll(&pfd, 1, static_cast<int>(left)) <= 0) break;
      char buf[256];
      ssize_t n = read(fd_, buf, sizeof buf);
      if (n > 0) text.append(buf, static_cast<size_t>(n));
    }
    return text;
  }

 private:
  std::string path_;
  int fd_ = -1;
};

// The sessions of the executor's live runs (what the GPU sampler is told are FlowLine's).
inline std::vector<int64_t> sessions_of(const Executor& exec) {
  std::vector<int64_t> sessions;
  for (const auto& [session, run_id] : exec.run_of_session()) sessions.push_back(session);
  return sessions;
}

// Collects exits until `count` arrived or timeout_ms passed, waiting on wait_fds().
inline std::vector<RunExit> wait_for_exits(Executor& exec, size_t count, int timeout_ms = 20000) {
  std::vector<RunExit> exits;
  int64_t deadline = steady_ms() + timeout_ms;
  for (;;) {
    for (auto& e : exec.collect_exits()) exits.push_back(std::move(e));
    int64_t left = deadline - steady_ms();
    if (exits.size() >= count || left <= 0) return exits;
    std::vector<pollfd> pfds;
    for (int fd : exec.wait_fds()) pfds.push_back({fd, POLLIN, 0});
    poll(pfds.data(), pfds.size(), static_cast<int>(left));
  }
}

// Live (non-zombie) processes whose session is `sid`.
inline std::vector<pid_t> session_processes(int64_t sid) {
  std::vector<pid_t> found;
  for (pid_t pid : proc::all_pids()) {
    auto s = proc::read_stat(pid);
    if (s && s->session == sid && !proc::is_dead(*s)) found.push_back(pid);
  }
  return found;
}

inline bool process_alive(pid_t pid) {
  auto s = proc::read_stat(pid);
  return s && !proc::is_dead(*s);
}

// Waits until every process in `pids` has exited (or timeout_ms passed); true when all did.
inline bool wait_gone(const std::vector<pid_t>& pids, int timeout_ms) {
  int64_t deadline = steady_ms() + timeout_ms;
  for (pid_t pid : pids) {
    int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0U));
    if (fd < 0) continue;  // already gone
    pollfd pfd{fd, POLLIN, 0};
    int64_t left = deadline - steady_ms();
    int ready = left > 0 ? poll(&pfd, 1, static_cast<int>(left)) : 0;
    close(fd);
    if (ready != 1) return false;
  }
  return true;
}

}  // namespace flowline::exec_test

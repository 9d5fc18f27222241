#include "exec/local/orphans.hpp"

#include <signal.h>
#include <unistd.h>

#include <string>

#include "exec/local/pidfd.hpp"
#include "exec/local/proc.hpp"

namespace flowline {
namespace {

bool belongs_to_run(pid_t pid, int64_t session_id, const std::string& mark) {
  auto stat = proc::read_stat(pid);
  if (!stat || proc::is_dead(*stat) || stat->session != session_id) return false;
  auto environ = proc::read_file("/proc/" + std::to_string(pid) + "/environ");
  if (!environ) return false;
  // Entries are NUL-separated; match a whole entry.
  std::string entries = std::string(1, '\0') + *environ;
  if (entries.back() != '\0') entries += '\0';
  return entries.find(mark) != std::string::npos;
}

}  // namespace

int kill_orphans(int64_t run_id, int64_t session_id) {
  if (session_id <= 1) return 0;
  const std::string mark = std::string("\0FLOWLINE_RUN_ID=", 17) + std::to_string(run_id) + '\0';
  int killed = 0;
  for (pid_t pid : proc::all_pids()) {
    if (pid == getpid()) continue;
    auto stat = proc::read_stat(pid);
    if (!stat || stat->session != session_id) continue;  // cheap filter before pinning
    int fd = pidfd::open(pid);
    if (fd < 0) continue;
    if (belongs_to_run(pid, session_id, mark) && pidfd::send_signal(fd, SIGKILL) == 0) ++killed;
    close(fd);
  }
  return killed;
}

}  // namespace flowline

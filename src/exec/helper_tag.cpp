#include "exec/helper_tag.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>

#include "exec/local/pidfd.hpp"
#include "exec/local/proc.hpp"

namespace flowline {
namespace {

std::atomic<long> next_tag{0};

// Whether /proc/<pid>/environ holds `entry` as one whole entry.
bool carries(pid_t pid, const std::string& entry) {
  auto env = proc::read_file("/proc/" + std::to_string(pid) + "/environ");
  if (!env) return false;
  const std::string whole = std::string(1, '\0') + entry + '\0';
  return env->compare(0, entry.size() + 1, entry + '\0') == 0 ||
         env->find(whole) != std::string::npos;
}

}  // namespace

HelperTag::HelperTag()
    : entry_("FLOWLINE_HELPER=" + std::to_string(::getpid()) + "." +
             std::to_string(next_tag.fetch_add(1))) {}

std::vector<std::string> HelperTag::environment(char** base) const {
  std::vector<std::string> env;
  for (char** e = base; e && *e; ++e)
    if (std::string(*e).rfind("FLOWLINE_HELPER=", 0) != 0) env.emplace_back(*e);
  env.push_back(entry_);
  return env;
}

int HelperTag::kill_all() const {
  int killed = 0;
  for (pid_t pid : proc::all_pids()) {
    if (pid == ::getpid() || !carries(pid, entry_)) continue;
    // Pinned, then checked again: a pid reused meanwhile by a stranger is left alone.
    const int fd = pidfd::open(pid);
    if (fd < 0) continue;
    if (carries(pid, entry_) && pidfd::send_signal(fd, SIGKILL) == 0) ++killed;
    ::close(fd);
  }
  return killed;
}

}  // namespace flowline

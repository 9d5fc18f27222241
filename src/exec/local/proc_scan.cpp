#include "exec/local/proc_scan.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

#include "exec/local/fixed_text.hpp"

namespace flowline::proc {
namespace {

using Path = FixedText<64>;  // "/proc/<pid>/task/<tid>/children" fits

// Reads a small file into `buf`; returns its length or -1.
ssize_t read_small(const char* path, char* buf, size_t size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  size_t used = 0;
  while (used < size) {
    ssize_t n = read(fd, buf + used, size - used);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    used += static_cast<size_t>(n);
  }
  close(fd);
  return static_cast<ssize_t>(used);
}

// Calls visit(number) for each entry of `dir` whose name is a positive number.
template <class Fn>
bool for_each_numeric_entry(const char* dir, Fn&& visit) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  alignas(8) char buf[4096];
  for (;;) {
    const long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (n <= 0) break;
    for (long pos = 0; pos < n;) {
      const auto* entry = reinterpret_cast<const dirent64*>(buf + pos);
      pos += entry->d_reclen;
      const std::string_view name(entry->d_name);
      pid_t value = 0;
      auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), value);
      if (ec == std::errc() && end == name.data() + name.size() && value > 0) visit(value);
    }
  }
  close(fd);
  return true;
}

// Adds the pids listed in a children file ("12 34 56 ").
void add_listed_pids(std::string_view text, PidList& out) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    pid_t value = 0;
    auto [next, ec] = std::from_chars(p, end, value);
    if (ec != std::errc()) {
      ++p;
      continue;
    }
    if (value > 0) out.add(value);
    p = next;
  }
}

}  // namespace

bool read_stat(pid_t pid, ProcStat& out) {
  Path path;
  path << "/proc/" << static_cast<int64_t>(pid) << "/stat";
  char buf[1024];
  const ssize_t n = read_small(path.c_str(), buf, sizeof buf);
  return n > 0 && parse_stat(std::string_view(buf, static_cast<size_t>(n)), pid, out);
}

void add_children(pid_t pid, PidList& out) {
  Path task_dir;
  task_dir << "/proc/" << static_cast<int64_t>(pid) << "/task";
  bool have_children_file = false;
  const bool exists = for_each_numeric_entry(task_dir.c_str(), [&](pid_t tid) {
    Path path;
    path << task_dir.view() << "/" << static_cast<int64_t>(tid) << "/children";
    char buf[4096];  // a thread with more children than fit is rescanned on the next pass
    const ssize_t n = read_small(path.c_str(), buf, sizeof buf);
    if (n < 0) return;
    have_children_file = true;
    add_listed_pids(std::string_view(buf, static_cast<size_t>(n)), out);
  });
  if (!exists || have_children_file) return;  // gone already, or answered
  // Kernels without CONFIG_PROC_CHILDREN: find the children by their parent pid.
  for_each_process([&](pid_t other) {
    ProcStat stat;
    if (read_stat(other, stat) && stat.ppid == pid) out.add(other);
  });
}

void for_each_process(void (*visit)(pid_t pid, void* context), void* context) {
  for_each_numeric_entry("/proc", [&](pid_t pid) { visit(pid, context); });
}

}  // namespace flowline::proc

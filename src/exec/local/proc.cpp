#include "exec/local/proc.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "exec/local/proc_scan.hpp"

namespace flowline::proc {

std::optional<std::string> read_file(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || text.size() > 65536) break;
    text.append(buf, static_cast<size_t>(n));
  }
  int saved = errno;
  close(fd);
  errno = saved;
  return text;
}

bool parse_stat(std::string_view text, pid_t pid, ProcStat& out) {
  // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
  const size_t close_paren = text.rfind(')');
  if (close_paren == std::string_view::npos || close_paren + 2 >= text.size()) return false;
  ProcStat s;
  s.pid = pid;
  const char* p = text.data() + close_paren + 2;
  const char* const end = text.data() + text.size();
  s.state = *p++;
  // Fields 4.. are numbers; we want 4 (ppid), 5 (pgrp), 6 (session) and 22 (starttime).
  for (int field = 4; field <= 22; ++field) {
    while (p < end && *p == ' ') ++p;
    long long v = 0;  // a few fields (tty_pgrp) may be -1
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc()) return false;
    p = next;
    if (field == 4) s.ppid = static_cast<pid_t>(v);
    if (field == 5) s.pgrp = static_cast<pid_t>(v);
    if (field == 6) s.session = static_cast<pid_t>(v);
    if (field == 22) s.start_ticks = static_cast<uint64_t>(v);
  }
  out = s;
  return true;
}

std::optional<ProcStat> read_stat(pid_t pid) {
  ProcStat s;
  if (!read_stat(pid, s)) return std::nullopt;
  return s;
}

std::vector<pid_t> all_pids() {
  std::vector<pid_t> pids;
  for_each_process([&](pid_t pid) { pids.push_back(pid); });
  return pids;
}

std::vector<pid_t> children(pid_t pid) {
  PidList kids;
  add_children(pid, kids);
  return {kids.begin(), kids.end()};
}

std::vector<std::string> cmdline(pid_t pid) {
  std::vector<std::string> args;
  auto text = read_file("/proc/" + std::to_string(pid) + "/cmdline");
  if (!text) return args;
  size_t start = 0;
  while (start < text->size()) {
    size_t end = text->find('\0', start);
    if (end == std::string::npos) end = text->size();
    args.push_back(text->substr(start, end - start));
    start = end + 1;
  }
  return args;
}

}  // namespace flowline::proc

#include "exec/local/proc.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

namespace flowline::proc {
namespace {

// Parses a list of decimal pids separated by spaces or newlines.
void append_pids(const std::string& text, std::vector<pid_t>& out) {
  const char* p = text.c_str();
  while (*p) {
    char* end = nullptr;
    long v = std::strtol(p, &end, 10);
    if (end == p) {
      ++p;
      continue;
    }
    if (v > 0) out.push_back(static_cast<pid_t>(v));
    p = end;
  }
}

std::vector<std::string> numeric_entries(const char* dir_path) {
  std::vector<std::string> names;
  DIR* dir = opendir(dir_path);
  if (!dir) return names;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] >= '1' && e->d_name[0] <= '9') names.emplace_back(e->d_name);
  }
  closedir(dir);
  return names;
}

}  // namespace

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
  auto text = read_file("/proc/" + std::to_string(pid) + "/stat");
  ProcStat s;
  if (!text || !parse_stat(*text, pid, s)) return std::nullopt;
  return s;
}

std::vector<pid_t> all_pids() {
  std::vector<pid_t> pids;
  for (const auto& name : numeric_entries("/proc")) pids.push_back(std::atoi(name.c_str()));
  return pids;
}

std::vector<pid_t> children(pid_t pid) {
  std::vector<pid_t> kids;
  std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
  auto tids = numeric_entries(task_dir.c_str());
  if (tids.empty()) return kids;  // gone already
  bool have_children_file = false;
  for (const auto& tid : tids) {
    auto text = read_file(task_dir + "/" + tid + "/children");
    if (!text) continue;
    have_children_file = true;
    append_pids(*text, kids);
  }
  if (have_children_file) return kids;
  // Kernels without CONFIG_PROC_CHILDREN: find the children by their parent pid.
  for (pid_t p : all_pids()) {
    auto s = read_stat(p);
    if (s && s->ppid == pid) kids.push_back(p);
  }
  return kids;
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

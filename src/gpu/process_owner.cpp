#include "gpu/process_owner.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>

namespace flowline {

namespace {

// Reads a small /proc file whole; nullopt when the process is gone.
std::optional<std::string> read_small_file(const std::string& path, size_t limit) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  char buffer[4096];
  while (text.size() < limit) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

// Field 6 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses,
// so parsing starts after its last ')'.
std::optional<int64_t> session_from_stat(const std::string& stat) {
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  char state = 0;
  long long ppid = 0, pgrp = 0, session = 0;
  if (std::sscanf(stat.c_str() + close + 1, " %c %lld %lld %lld", &state, &ppid, &pgrp, &session) !=
      4)
    return std::nullopt;
  return session;
}

// Field 2 of /proc/<pid>/stat, the command name without its parentheses ("python").
std::optional<std::string> name_from_stat(const std::string& stat) {
  size_t open = stat.find('(');
  size_t close = stat.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  return stat.substr(open + 1, close - open - 1);
}

std::string user_name(uid_t uid) {
  struct passwd entry {};
  struct passwd* found = nullptr;
  char buffer[1024];
  if (getpwuid_r(uid, &entry, buffer, sizeof buffer, &found) == 0 && found) return found->pw_name;
  return std::to_string(uid);
}

bool has_flowline_marker(const std::string& environ) {
  static constexpr char kMarker[] = "FLOWLINE_RUN_ID=";
  for (size_t start = 0; start < environ.size();) {
    if (environ.compare(start, sizeof kMarker - 1, kMarker) == 0) return true;
    size_t end = environ.find('\0', start);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}

}  // namespace

std::optional<ProcessFacts> read_process_facts(int64_t pid, bool read_environment) {
  if (pid <= 0) return std::nullopt;
  std::string dir = "/proc/" + std::to_string(pid);
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0) return std::nullopt;
  ProcessFacts facts;
  facts.user = user_name(info.st_uid);
  if (auto stat = read_small_file(dir + "/stat", 4096)) {
    facts.session = session_from_stat(*stat);
    facts.name = name_from_stat(*stat);
  }
  if (read_environment) {
    // Other users' environments are unreadable: they are never FlowLine's anyway.
    if (auto environ = read_small_file(dir + "/environ", 1 << 20))
      facts.flowline_env = has_flowline_marker(*environ);
  }
  return facts;
}

void annotate_processes(std::vector<GpuInfo>& gpus,
                        const std::optional<std::vector<int64_t>>& sessions) {
  std::map<int64_t, std::optional<ProcessFacts>> cache;  // a pid may use several GPUs
  for (GpuInfo& gpu : gpus) {
    if (!gpu.processes) continue;
    for (GpuProcess& process : *gpu.processes) {
      auto it = cache.find(process.pid);
      if (it == cache.end())
        it = cache.emplace(process.pid, read_process_facts(process.pid, !sessions)).first;
      const auto& facts = it->second;
      process.user = facts ? facts->user : std::nullopt;
      process.session = facts ? facts->session : std::nullopt;
      process.name = facts ? facts->name : std::nullopt;
      if (!facts) {
        process.flowline = false;  // vanished mid-query: nothing more is known
      } else if (sessions) {
        process.flowline = facts->session && std::find(sessions->begin(), sessions->end(),
                                                       *facts->session) != sessions->end();
      } else {
        process.flowline = facts->flowline_env;
      }
    }
  }
}

}  // namespace flowline

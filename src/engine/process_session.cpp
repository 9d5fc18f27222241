#include "engine/process_session.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace flowline {

std::optional<int64_t> session_of(int64_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%lld/stat", static_cast<long long>(pid));
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;  // the process ended meanwhile
  char buf[512];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return std::nullopt;
  buf[n] = '\0';
  // The command name may contain spaces and parentheses: fields resume after the last ')'.
  const char* rest = std::strrchr(buf, ')');
  if (!rest) return std::nullopt;
  char state;
  long long ppid, pgrp, session;
  if (std::sscanf(rest + 1, " %c %lld %lld %lld", &state, &ppid, &pgrp, &session) != 4)
    return std::nullopt;
  return session;
}

}  // namespace flowline

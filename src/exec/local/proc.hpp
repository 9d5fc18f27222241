#pragma once
// Reading /proc: just enough to walk a process tree and to recognise a process again after
// its pid may have been reused (its start time in clock ticks since boot never repeats).
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flowline::proc {

struct ProcStat {
  pid_t pid = 0;
  char state = '?';  // R, S, D, Z (zombie), T, X...
  pid_t ppid = 0;
  pid_t pgrp = 0;
  pid_t session = 0;
  uint64_t start_ticks = 0;  // field 22 of /proc/<pid>/stat
};

// nullopt when the process does not exist (or /proc cannot be read).
std::optional<ProcStat> read_stat(pid_t pid);

// Parses the text of /proc/<pid>/stat; false if it is not one. Allocates nothing.
bool parse_stat(std::string_view text, pid_t pid, ProcStat& out);

// True for a process that has exited but was not reaped yet (or is being torn down).
inline bool is_dead(const ProcStat& s) { return s.state == 'Z' || s.state == 'X'; }

// Direct children of every thread of `pid` (up to PidList::kCapacity), from
// /proc/<pid>/task/<tid>/children; falls back to a scan of /proc by parent pid where the kernel
// lacks that file.
std::vector<pid_t> children(pid_t pid);

// Every pid in /proc.
std::vector<pid_t> all_pids();

// The argument vector of a live process ("" entries for a zombie or kernel thread).
std::vector<std::string> cmdline(pid_t pid);

// Reads a small file whole (up to 64 KiB); nullopt (errno kept) when it cannot be opened.
std::optional<std::string> read_file(const std::string& path);

}  // namespace flowline::proc

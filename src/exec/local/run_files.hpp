#pragma once
// The files a supervisor leaves in its run directory, shared by the supervisor that writes
// them and the executor that reads them (possibly a later FlowLine):
//   pid   "pid <n>\nstart_ticks <t>\n"     written before the command starts
//   exit  "flowline-exit 1\n" + key/value lines   written after every process of the run ended
// Both are replaced atomically (temp file + rename), so a reader sees all of a file or none.
// Writing allocates nothing: the supervisor that writes them may not use the heap.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "exec/executor.hpp"
#include "exec/local/fixed_text.hpp"

namespace flowline::run_files {

inline constexpr const char* kPidFile = "pid";
inline constexpr const char* kExitFile = "exit";

struct PidInfo {
  int64_t pid = 0;
  uint64_t start_ticks = 0;  // the supervisor's /proc/<pid>/stat start time
};

using RecordText = FixedText<256>;  // either record is well under 200 bytes

RecordText format_pid(const PidInfo& info);
std::optional<PidInfo> parse_pid(std::string_view text);

// RunExit without its run_id (the directory says which run it is).
RecordText format_exit(const RunExit& exit);
std::optional<RunExit> parse_exit(std::string_view text);

// Writes dir/name through dir/name.tmp and rename(2). With `durable`, the data is fsync'ed
// before the rename and the directory after it (survives power loss, not just our crash).
// Returns 0 or the errno of the failing call (ENAMETOOLONG for a path over PATH_MAX).
// A temp file written over a reserved one (reserve()) takes no new space, so the record can
// be written when the disk has filled up while the run ran.
int write_atomically(std::string_view dir, const char* name, std::string_view text, bool durable);

// Creates dir/name.tmp holding `bytes` bytes, for write_atomically() to write over later:
// a run's exit record must be recorded even on a disk that filled up during the run (issue
// 14: otherwise the run is lost and runs again). Returns 0 or an errno.
int reserve(std::string_view dir, const char* name, size_t bytes);

// The temp file of dir/name, as write_atomically() and reserve() name it.
inline constexpr const char* kTempSuffix = ".tmp";

}  // namespace flowline::run_files

#pragma once
// Reading the records a supervisor started with --run-dir leaves in its directory
// (run_files.hpp's format): runs from before the slot file (local_executor.cpp adopts them)
// and every Slurm job (exec/slurm). Not in run_files.cpp, which the supervisor links: reading
// allocates.
#include <optional>
#include <string>

#include "exec/local/run_files.hpp"

namespace flowline::run_files {

// DIR/exit, nullopt when absent or not a whole record.
std::optional<RunExit> read_exit_file(const std::string& run_dir);
// DIR/pid, the same.
std::optional<PidInfo> read_pid_file(const std::string& run_dir);

}  // namespace flowline::run_files

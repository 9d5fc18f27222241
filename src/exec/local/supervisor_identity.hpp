#pragma once
// Is the process with this pid still the supervisor of this run? After a FlowLine restart a
// recorded pid may belong to anyone (pids are reused), and FlowLine must never signal a
// process it did not start.
#include <string>

#include "exec/local/run_record.hpp"

namespace flowline {

inline constexpr const char* kSupervisorName = "flowline-supervise";

// Empty when `record.supervisor_pid` is, right now, a live flowline-supervise for
// record.run_dir that leads its own session and whose start time matches the pid file it wrote;
// otherwise the reason it is not.
std::string supervisor_mismatch(const RunRecord& record);

// True when `record.supervisor_pid` is the run's supervisor, ended but not yet reaped (a
// zombie: its parent, the supervisor server, is gone and init has not reaped it yet).
bool is_unreaped_supervisor(const RunRecord& record);

}  // namespace flowline

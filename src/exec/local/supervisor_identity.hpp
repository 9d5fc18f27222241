#pragma once
// Is the process with this pid still the supervisor of this run? After a FlowLine restart a
// recorded pid may belong to anyone (pids are reused), and FlowLine must never signal a
// process it did not start.
#include <optional>
#include <string>

#include "exec/local/run_files.hpp"
#include "exec/local/run_record.hpp"

namespace flowline {

inline constexpr const char* kSupervisorName = "flowline-supervise";

// Empty when `record.supervisor_pid` is, right now, a live supervisor of the run that leads
// its own session and whose start time matches the pid record it wrote (`pid_record`, from its
// slot or its run directory; nullopt when none is written yet); otherwise the reason it is not.
std::string supervisor_mismatch(const RunRecord& record,
                                const std::optional<run_files::PidInfo>& pid_record);

// True when `record.supervisor_pid` is the run's supervisor, ended but not yet reaped (a
// zombie: its parent, the supervisor server, is gone and init has not reaped it yet).
bool is_unreaped_supervisor(const RunRecord& record,
                            const std::optional<run_files::PidInfo>& pid_record);

}  // namespace flowline

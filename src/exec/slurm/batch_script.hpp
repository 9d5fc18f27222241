#pragma once
// What one run becomes under Slurm: the sbatch arguments and the batch script that runs the
// command under flowline-supervise inside the job (so the exit status is recorded, and a
// cancel stops every process of the run, as locally). Pure: no I/O.
#include <string>
#include <vector>

#include "exec/executor.hpp"
#include "exec/slurm/slurm_options.hpp"

namespace flowline {

// sbatch's arguments (after the program name): --parsable, the name, --gres=gpu:N (none for
// a CPU-only run), --time from the timeout, the logs, the working directory, the user's
// partition/account/qos and --slurm-arg values. The script comes on sbatch's stdin.
std::vector<std::string> sbatch_args(const LaunchSpec& spec, const SlurmOptions& options);

// The batch script: FlowLine's run environment, then exec flowline-supervise -- COMMAND.
std::string batch_script(const LaunchSpec& spec, const SlurmOptions& options,
                         const std::string& run_dir);

// Slurm's --time for a timeout: whole minutes, rounded up, with the supervisor's grace
// period added, so that Slurm's own limit only backs up FlowLine's ("D-HH:MM:SS").
std::string slurm_time_limit(int64_t timeout_ms, int64_t grace_ms);

}  // namespace flowline

#pragma once
// How FlowLine submits to Slurm: `--executor slurm` and its companions (README, "Slurm").
#include <cstdint>
#include <string>
#include <vector>

namespace flowline {

struct SlurmOptions {
  std::string partition;                // --partition; "" = the cluster's default
  std::string account;                  // --account
  std::string qos;                      // --qos
  std::vector<std::string> extra_args;  // --slurm-arg ARG, repeatable, given to sbatch as is
  // One directory per run, on a filesystem the nodes share: the job's supervisor writes its
  // exit record there (state/runs/<run_id>/exit), as a local run's does.
  std::string runs_root;
  std::string supervisor_path;  // flowline-supervise, as the nodes reach it
  int64_t grace_ms = 5000;      // the supervisor's SIGTERM → SIGKILL
  // How often the jobs' states are asked for (one squeue for all of them). An exit is seen
  // sooner: the supervisor's exit record wakes FlowLine (inotify) on a local filesystem.
  int64_t poll_ms = 1000;
  int64_t command_timeout_ms = 30000;  // a Slurm command that takes longer is given up
};

}  // namespace flowline

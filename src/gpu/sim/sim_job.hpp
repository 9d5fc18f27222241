#pragma once
// `flowline sim-job`: a stand-in for a training script on simulated GPUs. It claims memory on
// every GPU of CUDA_VISIBLE_DEVICES at once (all or nothing, under the state lock), holds it,
// and releases it however it ends; a SIGKILLed job's claim lapses because the driver ignores
// allocations of processes that no longer exist.
#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "gpu/sim/sim_state.hpp"

namespace flowline::sim {

struct SimJobOptions {
  int64_t mib = 0;
  double seconds = 0;
  int exit_code = 0;
  // When the memory does not fit: take what is free and hold it this long before dying of
  // OOM, as a training script does that grows into a GPU (FlowLine then measures how much it
  // reached). 0: die at once, taking nothing.
  double grow_seconds = 0;
};

// Runs the job in this process and returns its exit status: `exit_code` after holding the
// memory, 1 with PyTorch's out-of-memory message on stderr when it does not fit, 128+signal
// when stopped by SIGTERM/SIGINT/SIGHUP, 2 when there are no simulated GPUs.
int run_sim_job(const SimJobOptions& options);

// PyTorch's out-of-memory message for a failed allocation (the text OOM detection matches).
std::string torch_oom_message(int64_t tried_mib, int device_ordinal, int64_t total_mib,
                              int64_t free_mib,
                              const std::vector<std::pair<int64_t, int64_t>>& other_processes_mib);

}  // namespace flowline::sim

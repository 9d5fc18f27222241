#pragma once
// The variables every run gets (DESIGN.md §2), whatever executor starts it.
#include <map>
#include <string>

#include "exec/executor.hpp"

namespace flowline {

// CUDA_VISIBLE_DEVICES and FLOWLINE_GPUS (the assigned GPUs as "0,2"; "" for a CPU-only run,
// which hides every GPU from it), CUDA_DEVICE_ORDER=PCI_BUS_ID (so indices match NVML's),
// FLOWLINE_TASK_ID, FLOWLINE_RUN_ID; then spec.env, which wins on a clash.
std::map<std::string, std::string> run_environment(const LaunchSpec& spec);

}  // namespace flowline

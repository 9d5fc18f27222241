#pragma once
// What every front end (`run`, `serve`, `gpus`) does with `--sim-gpus` and `--state-dir`:
// simulated GPUs when asked, else the real driver, else none (CPU-only tasks still run).
#include <memory>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "gpu/gpu_source.hpp"

namespace flowline {

struct GpuSetup {
  std::unique_ptr<GpuSource> source;  // null: no NVML; `note` says why, in one line
  std::string note;                   // for the log: the source's description, or why none
};

// An Error only for a bad `--sim-gpus` spec or an unusable state directory; a machine
// without NVML is a success with a null source.
Result<GpuSetup> open_gpus(const std::optional<std::string>& sim_spec,
                           const std::string& state_dir);

}  // namespace flowline

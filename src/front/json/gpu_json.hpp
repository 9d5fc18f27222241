#pragma once
// The GPU object of `flowline gpus --json` and GET /api/gpus (the original's shape): keys are
// GPU indices as strings; unknown values are null.
#include <nlohmann/json.hpp>

#include "gpu/gpu_snapshot.hpp"

namespace flowline {

// "available", "disabled" or "error".
std::string gpu_status(const GpuInfo& gpu, const std::set<int>& disabled);
nlohmann::json gpu_to_json(const GpuInfo& gpu, const std::set<int>& disabled);
// GPUs in index order ("2" before "10"), as a person reading the output expects; `disabled`
// is the set in force: the engine's (changed by `gpu <id>`) wherever an engine runs.
nlohmann::ordered_json gpus_to_json(const std::vector<GpuInfo>& gpus, const std::set<int>& disabled);
// The sampler's view alone (flowline gpus): disabled = --gpus.
nlohmann::ordered_json gpus_to_json(const GpuSnapshot& snapshot);
nlohmann::json gpu_process_to_json(const GpuProcess& process);

}  // namespace flowline

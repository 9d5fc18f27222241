#include "front/json/gpu_json.hpp"

#include <algorithm>
#include <vector>

namespace flowline {

namespace {

template <class T>
nlohmann::json or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

std::string gpu_status(const GpuInfo& gpu, const std::set<int>& disabled) {
  if (gpu.error) return "error";  // a broken GPU must stand out even when switched off
  return disabled.count(gpu.index) ? "disabled" : "available";
}

nlohmann::json gpu_process_to_json(const GpuProcess& process) {
  return {{"pid", process.pid},
          {"user", or_null(process.user)},
          {"used_memory", or_null(process.used_memory_mib)},
          {"flowline", process.flowline}};
}

nlohmann::json gpu_to_json(const GpuInfo& gpu, const std::set<int>& disabled) {
  nlohmann::json processes = nullptr;
  nlohmann::json user_num = nullptr;
  nlohmann::json all_num = nullptr;
  if (gpu.processes) {
    processes = nlohmann::json::array();
    for (const GpuProcess& p : *gpu.processes) processes.push_back(gpu_process_to_json(p));
    user_num = gpu.user_process_num();
    all_num = gpu.all_process_num();
  }
  return {{"name", or_null(gpu.name)},
          {"uuid", or_null(gpu.uuid)},
          {"status", gpu_status(gpu, disabled)},
          {"free_memory", or_null(gpu.free_memory_mib)},
          {"total_memory", or_null(gpu.total_memory_mib)},
          {"utilization", or_null(gpu.utilization)},
          {"temperature", or_null(gpu.temperature)},
          {"power", or_null(gpu.power_w)},
          {"max_power", or_null(gpu.max_power_w)},
          {"user_process_num", user_num},
          {"all_process_num", all_num},
          {"processes", processes},
          {"error", or_null(gpu.error)},
          {"simulated", gpu.simulated}};
}

nlohmann::ordered_json gpus_to_json(const std::vector<GpuInfo>& gpus, const std::set<int>& disabled) {
  std::vector<const GpuInfo*> by_index;
  for (const GpuInfo& gpu : gpus) by_index.push_back(&gpu);
  std::stable_sort(by_index.begin(), by_index.end(),
                   [](const GpuInfo* a, const GpuInfo* b) { return a->index < b->index; });
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const GpuInfo* gpu : by_index)
    out[std::to_string(gpu->index)] = nlohmann::ordered_json(gpu_to_json(*gpu, disabled));
  return out;
}

nlohmann::ordered_json gpus_to_json(const GpuSnapshot& snapshot) {
  return gpus_to_json(snapshot.gpus, snapshot.disabled);
}

}  // namespace flowline

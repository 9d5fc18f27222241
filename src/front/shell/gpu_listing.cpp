// `gpus`: every GPU with what NVML (or the simulator) could tell; '-' where it could not.
#include <algorithm>
#include <cmath>

#include "front/shell/listings.hpp"
#include "front/shell/text_table.hpp"

namespace flowline::shell {

static std::string or_dash(const std::optional<int64_t>& v, const char* unit = "") {
  return v ? std::to_string(*v) + unit : "-";
}

static std::string watts(const std::optional<double>& v) {
  return v ? std::to_string(std::lround(*v)) : "-";
}

std::string gpu_status(const EngineSnapshot& snap, const GpuInfo& gpu) {
  if (gpu.error) return "error";
  if (snap.settings.disabled_gpus.count(gpu.index) != 0) return "disabled";
  return "available";
}

static Colour status_colour(const std::string& status) {
  if (status == "available") return Colour::kGreen;
  if (status == "disabled") return Colour::kYellow;
  return Colour::kRed;
}

static std::string processes(const GpuInfo& gpu) {
  if (!gpu.processes) return "-";
  return std::to_string(gpu.user_process_num()) + "/" + std::to_string(gpu.all_process_num());
}

static std::string note(const GpuInfo& gpu) {
  if (gpu.error) return *gpu.error;
  return gpu.name.value_or("");
}

std::string gpus_text(const EngineSnapshot& snap, const Presentation& how) {
  std::string label = snap.simulated ? "simulated GPUs (not real hardware)\n" : "";
  if (snap.gpus.empty()) return label + "no GPUs found: only tasks with gpus = 0 can run\n";
  TextTable table({{"GPU", true},
                   {"STATUS"},
                   {"UTIL", true},
                   {"FREE MiB", true},
                   {"TOTAL MiB", true},
                   {"PROCS", true},
                   {"TEMP", true},
                   {"POWER W", true},
                   {"NAME", false, 0, true}});
  for (const auto& gpu : snap.gpus) {
    std::string status = gpu_status(snap, gpu);
    table.add_row({{std::to_string(gpu.index)},
                   {status, status_colour(status)},
                   {or_dash(gpu.utilization, "%")},
                   {or_dash(gpu.free_memory_mib)},
                   {or_dash(gpu.total_memory_mib)},
                   {processes(gpu)},
                   {or_dash(gpu.temperature, "°C")},
                   {watts(gpu.power_w) + "/" + watts(gpu.max_power_w)},
                   {note(gpu)}});
  }
  return label + table.render(how.width, Style(how.colour));
}

template <class T>
static nlohmann::json nullable(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json gpus_json(const EngineSnapshot& snap) {
  auto out = nlohmann::json::array();
  for (const auto& gpu : snap.gpus) {
    std::optional<int64_t> user, all;
    if (gpu.processes) user = gpu.user_process_num(), all = gpu.all_process_num();
    out.push_back({{"index", gpu.index},
                   {"name", nullable(gpu.name)},
                   {"uuid", nullable(gpu.uuid)},
                   {"status", gpu_status(snap, gpu)},
                   {"error", nullable(gpu.error)},
                   {"utilization", nullable(gpu.utilization)},
                   {"free_memory_mib", nullable(gpu.free_memory_mib)},
                   {"total_memory_mib", nullable(gpu.total_memory_mib)},
                   {"user_process_num", nullable(user)},
                   {"all_process_num", nullable(all)},
                   {"temperature", nullable(gpu.temperature)},
                   {"power_w", nullable(gpu.power_w)},
                   {"max_power_w", nullable(gpu.max_power_w)},
                   {"simulated", gpu.simulated || snap.simulated}});
  }
  return out;
}

}  // namespace flowline::shell

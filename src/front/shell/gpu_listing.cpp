// `gpus`: every GPU with what NVML (or the simulator) could tell; '-' where it could not.
#include <algorithm>
#include <cmath>

#include "front/json/gpu_json.hpp"
#include "front/shell/listings.hpp"
#include "front/shell/text_table.hpp"

namespace flowline::shell {

static std::string or_dash(const std::optional<int64_t>& v, const char* unit = "") {
  return v ? std::to_string(*v) + unit : "-";
}

static std::string watts(const std::optional<double>& v) {
  return v ? std::to_string(std::lround(*v)) : "-";
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
    std::string status = gpu_status(gpu, snap.settings.disabled_gpus);
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

// The same object as `flowline gpus --json` (and GET /api/gpus), with the engine's disabled set.
nlohmann::ordered_json gpus_json(const EngineSnapshot& snap) {
  std::vector<GpuInfo> gpus = snap.gpus;
  for (GpuInfo& gpu : gpus) gpu.simulated = gpu.simulated || snap.simulated;
  return gpus_to_json(gpus, snap.settings.disabled_gpus);
}

}  // namespace flowline::shell

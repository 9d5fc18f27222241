// `gpus` (shell, ctl) and `flowline gpus`: one layout, every GPU with what NVML (or the
// simulator) could tell, "-" where it could not (unknown is never shown as 0). It fits 80
// columns: the name gives way first; a GPU's error is written out in full under the table.
#include <algorithm>
#include <cmath>

#include "front/json/gpu_json.hpp"
#include "front/shell/listings.hpp"
#include "front/shell/text_table.hpp"
#include "front/shell/text_width.hpp"

namespace flowline::shell {

static constexpr const char* kUnknown = "-";

static std::string known(const std::optional<int64_t>& v, const char* unit = "") {
  return v ? std::to_string(*v) + unit : kUnknown;
}

static std::string watts(const std::optional<double>& v) {
  return v ? std::to_string(std::lround(*v)) : kUnknown;
}

static Colour status_colour(const std::string& status) {
  if (status == "available") return Colour::kGreen;
  if (status == "disabled") return Colour::kYellow;
  return Colour::kRed;
}

static std::string processes(const GpuInfo& gpu) {
  if (!gpu.processes) return kUnknown;
  return std::to_string(gpu.user_process_num()) + "/" + std::to_string(gpu.all_process_num());
}

std::string gpu_table_text(const std::vector<GpuInfo>& gpus, const std::set<int>& disabled,
                           bool simulated, const Presentation& how) {
  std::string label = simulated ? "SIMULATED GPUs (--sim-gpus): not real hardware\n" : "";
  if (gpus.empty()) return label + "no GPUs found: only tasks with gpus = 0 can run\n";
  std::vector<const GpuInfo*> sorted;
  for (const GpuInfo& gpu : gpus) sorted.push_back(&gpu);
  std::sort(sorted.begin(), sorted.end(),
            [](const GpuInfo* a, const GpuInfo* b) { return a->index < b->index; });
  TextTable table({{"GPU", true},
                   {"STATUS"},
                   {"UTIL", true},
                   {"FREE/TOTAL MiB", true},
                   {"OURS/ALL", true},
                   {"TEMP", true},
                   {"POWER W", true},
                   {.header = "NAME", .flexible = true}});
  std::string errors;
  for (const GpuInfo* gpu : sorted) {
    std::string status = gpu_status(*gpu, disabled);
    table.add_row({{std::to_string(gpu->index)},
                   {status, status_colour(status)},
                   {known(gpu->utilization, "%")},
                   {known(gpu->free_memory_mib) + "/" + known(gpu->total_memory_mib)},
                   {processes(*gpu)},
                   {known(gpu->temperature, "C")},
                   {watts(gpu->power_w) + "/" + watts(gpu->max_power_w)},
                   {gpu->name.value_or(kUnknown)}});
    if (gpu->error)
      errors += "GPU " + std::to_string(gpu->index) + ": " + one_line(*gpu->error) + "\n";
  }
  return label + table.render(how.width, Style(how.colour)) + errors;
}

std::string gpus_text(const EngineSnapshot& snap, const Presentation& how) {
  return gpu_table_text(snap.gpus, snap.settings.disabled_gpus, snap.simulated, how);
}

// The same object as `flowline gpus --json` (and GET /api/gpus), with the engine's disabled set.
nlohmann::ordered_json gpus_json(const EngineSnapshot& snap) {
  std::vector<GpuInfo> gpus = snap.gpus;
  for (GpuInfo& gpu : gpus) gpu.simulated = gpu.simulated || snap.simulated;
  return gpus_to_json(gpus, snap.settings.disabled_gpus);
}

}  // namespace flowline::shell

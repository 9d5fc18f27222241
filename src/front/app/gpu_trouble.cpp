#include "front/app/gpu_trouble.hpp"

namespace flowline {
namespace {

// What is wrong with `gpu` for placing runs on it; "" when nothing is.
std::string trouble_of(const GpuInfo& gpu) {
  if (gpu.error) return *gpu.error;
  if (!gpu.free_memory_mib || !gpu.total_memory_mib) return "NVML cannot read its memory";
  return "";
}

}  // namespace

std::vector<std::string> GpuTrouble::update(const std::vector<GpuInfo>& gpus) {
  std::vector<std::string> lines;
  for (const GpuInfo& gpu : gpus) {
    const std::string trouble = trouble_of(gpu);
    const std::string name = "GPU " + std::to_string(gpu.index);
    auto said = said_.find(gpu.index);
    if (trouble.empty()) {
      if (said == said_.end()) continue;
      lines.push_back(name + " answers again: runs may be placed on it");
      said_.erase(said);
      continue;
    }
    if (said != said_.end() && said->second == trouble) continue;
    lines.push_back(name + ": " + trouble +
                    "; no run is placed on it until it answers again (runs on it go on)");
    said_[gpu.index] = trouble;
  }
  return lines;
}

}  // namespace flowline

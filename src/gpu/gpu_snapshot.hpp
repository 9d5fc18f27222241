#pragma once
// Every GPU at one instant, with FlowLine's own choice of which GPUs it may use.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/gpu_info.hpp"

namespace flowline {

struct GpuSnapshot {
  Millis time_ms = 0;
  std::vector<GpuInfo> gpus;
  std::set<int> disabled;            // GPUs the user switched off in FlowLine
  std::optional<std::string> error;  // the whole source failed this time
  bool simulated = false;
};

}  // namespace flowline

#pragma once
// The order in which GPUs are tried for a run (DESIGN.md §2 "GPU order"; the original's
// user_cmp), e.g. `--order "free_memory desc, utilization asc"`.
#include <string>
#include <string_view>
#include <vector>

#include "core/gpu_info.hpp"
#include "core/result.hpp"

namespace flowline {

enum class GpuField {
  kIndex,
  kFreeMemory,
  kTotalMemory,
  kUtilization,
  kUserProcessNum,
  kAllProcessNum,
  kTemperature,
  kPower,
  kMaxPower,
};

struct GpuOrderKey {
  GpuField field = GpuField::kIndex;
  bool descending = false;
};

struct GpuOrder {
  std::vector<GpuOrderKey> keys;
};

// The fields a key may name, in the order of GpuField: "index, free_memory, …, max_power".
std::string gpu_order_fields();

// Free memory descending, then utilization ascending, then index ascending.
GpuOrder default_gpu_order();

// Comma-separated `field [asc|desc]` terms; the direction is optional and defaults to asc.
// An unknown field or direction, an empty term or a repeated field is an error that names it
// and lists the valid choices.
Result<GpuOrder> parse_gpu_order(std::string_view text);

// The text form parse_gpu_order accepts, e.g. "free_memory desc, utilization asc, index asc".
std::string to_string(const GpuOrder& order);

// Strict weak ordering: `a` is tried before `b`. A value that is unknown (nullopt, or the
// process list could not be read) sorts after every known one whatever the direction; ties
// after all keys are broken by ascending index.
bool gpu_less(const GpuOrder& order, const GpuInfo& a, const GpuInfo& b);

}  // namespace flowline

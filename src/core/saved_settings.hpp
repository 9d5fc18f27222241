#pragma once
// The run-time settings a user changes (`max`, `min`, `order`, `gpu`, `run on|off`) as the
// store keeps them between sessions (DESIGN.md §3): one key and one text value each. Reading
// a value back checks it as the command would, so a value saved by another version, or edited
// by hand, is refused with the reason instead of being applied.
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "core/gpu_order.hpp"
#include "core/result.hpp"

namespace flowline::saved {

inline constexpr const char* kMaxRunning = "max_running";
inline constexpr const char* kMinMem = "min_mem_mib";  // a number, or kAuto
inline constexpr const char* kAuto = "auto";
inline constexpr const char* kGpuOrder = "gpu_order";
inline constexpr const char* kDisabledGpus = "disabled_gpus";
inline constexpr const char* kDispatching = "dispatching";

std::string number_text(int64_t n);
// A whole number ≥ `min`.
Result<int64_t> parse_number(const std::string& text, int64_t min);

// "default" for the default order, else the keys as to_string(GpuOrder) writes them.
std::string order_text(const std::optional<GpuOrder>& order);
// nullopt: the default order.
Result<std::optional<GpuOrder>> parse_order(const std::string& text);

// "1,3"; "" when none is disabled.
std::string gpu_set_text(const std::set<int>& gpus);
Result<std::set<int>> parse_gpu_set(const std::string& text);

std::string on_off_text(bool on);
Result<bool> parse_on_off(const std::string& text);

}  // namespace flowline::saved

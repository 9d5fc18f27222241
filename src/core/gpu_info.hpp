#pragma once
// What FlowLine knows about one GPU at one instant. Unknown is not zero (DESIGN.md §4.4).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flowline {

struct GpuProcess {
  int64_t pid = 0;
  std::optional<std::string> user;
  std::optional<int64_t> used_memory_mib;
  bool flowline = false;  // started by FlowLine (a run or any descendant of one)
  std::optional<int64_t> session;  // its session id, when it could be read: says which run
  std::optional<std::string> name;  // its command name ("python"), from /proc
};

struct GpuInfo {
  int index = 0;
  std::optional<std::string> name;
  std::optional<std::string> uuid;
  std::optional<std::string> error;  // set when this GPU could not be read at all
  std::optional<int64_t> free_memory_mib;
  std::optional<int64_t> total_memory_mib;
  std::optional<int64_t> utilization;  // percent
  std::optional<int64_t> temperature;  // degrees C
  std::optional<double> power_w;
  std::optional<double> max_power_w;
  std::optional<std::vector<GpuProcess>> processes;  // nullopt when NVML could not list them
  bool simulated = false;

  int64_t user_process_num() const;  // FlowLine's processes on this GPU
  int64_t all_process_num() const;
};

inline int64_t GpuInfo::user_process_num() const {
  int64_t n = 0;
  if (processes)
    for (const auto& p : *processes) n += p.flowline ? 1 : 0;
  return n;
}
inline int64_t GpuInfo::all_process_num() const {
  return processes ? static_cast<int64_t>(processes->size()) : 0;
}

// Whether two samples agree on everything placement reads (memory, processes, errors): the
// engine decides again only when they differ, not on every sample's new utilization.
inline bool same_memory_picture(const std::vector<GpuInfo>& a, const std::vector<GpuInfo>& b) {
  auto same_process = [](const GpuProcess& x, const GpuProcess& y) {
    return x.pid == y.pid && x.used_memory_mib == y.used_memory_mib && x.flowline == y.flowline &&
           x.session == y.session;
  };
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const GpuInfo& x = a[i];
    const GpuInfo& y = b[i];
    if (x.index != y.index || x.error.has_value() != y.error.has_value() ||
        x.free_memory_mib != y.free_memory_mib || x.total_memory_mib != y.total_memory_mib ||
        x.processes.has_value() != y.processes.has_value())
      return false;
    if (x.processes && !std::equal(x.processes->begin(), x.processes->end(),
                                   y.processes->begin(), y.processes->end(), same_process))
      return false;
  }
  return true;
}

}  // namespace flowline

#include "api/gpu_comparator.hpp"

namespace flowline {

api::GpuInfo public_gpu_info(const GpuInfo& gpu) {
  api::GpuInfo out;
  out.index = gpu.index;
  out.name = gpu.name;
  out.free_memory = gpu.free_memory_mib;
  out.total_memory = gpu.total_memory_mib;
  out.utilization = gpu.utilization;
  if (gpu.processes) {  // unknown when the driver could not list them, not zero
    out.user_process_num = gpu.user_process_num();
    out.all_process_num = gpu.all_process_num();
  }
  out.temperature = gpu.temperature;
  out.power = gpu.power_w;
  out.max_power = gpu.max_power_w;
  out.simulated = gpu.simulated;
  return out;
}

GpuLess gpu_less_of(api::Comparator cmp) {
  return [cmp = std::move(cmp)](const GpuInfo& a, const GpuInfo& b) {
    int verdict = 0;
    try {
      verdict = cmp(public_gpu_info(a), public_gpu_info(b));
    } catch (...) {
      verdict = 0;  // the engine thread must not die of the caller's exception
    }
    if (verdict != 0) return verdict < 0;
    return a.index < b.index;
  };
}

}  // namespace flowline

#include "gpu/gpu_history.hpp"

#include <algorithm>
#include <limits>

namespace flowline {

namespace {

template <class Small>
Small compact(const std::optional<int64_t>& value) {
  if (!value || *value < 0) return -1;
  return static_cast<Small>(std::min<int64_t>(*value, std::numeric_limits<Small>::max()));
}

}  // namespace

HistoryPoint HistoryPoint::from(Millis time_ms, const GpuInfo& gpu) {
  HistoryPoint p;
  p.time_ms = time_ms;
  p.free_mib = compact<int32_t>(gpu.free_memory_mib);
  if (gpu.free_memory_mib && gpu.total_memory_mib)
    p.used_mib = compact<int32_t>(*gpu.total_memory_mib - *gpu.free_memory_mib);
  p.utilization = compact<int16_t>(gpu.utilization);
  p.temperature = compact<int16_t>(gpu.temperature);
  p.power_w = gpu.power_w && *gpu.power_w >= 0 ? static_cast<float>(*gpu.power_w) : -1.0f;
  return p;
}

void GpuHistory::push(const HistoryPoint& point) {
  if (points_.empty()) return;
  points_[next_] = point;
  next_ = (next_ + 1) % points_.size();
  size_ = std::min(size_ + 1, points_.size());
}

std::vector<HistoryPoint> GpuHistory::points() const {
  std::vector<HistoryPoint> out;
  out.reserve(size_);
  size_t start = (next_ + points_.size() - size_) % std::max<size_t>(points_.size(), 1);
  for (size_t i = 0; i < size_; ++i) out.push_back(points_[(start + i) % points_.size()]);
  return out;
}

}  // namespace flowline

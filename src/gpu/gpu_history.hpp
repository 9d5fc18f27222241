#pragma once
// A fixed-size ring of compact per-GPU samples for charts: the last hour at 1 Hz costs about
// 100 KiB per GPU. Unknown values are stored as -1 and read back as nullopt.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/clock.hpp"
#include "core/gpu_info.hpp"

namespace flowline {

struct HistoryPoint {
  Millis time_ms = 0;
  int32_t free_mib = -1;
  int32_t used_mib = -1;
  int16_t utilization = -1;
  int16_t temperature = -1;
  float power_w = -1;

  static HistoryPoint from(Millis time_ms, const GpuInfo& gpu);
  std::optional<int64_t> free() const { return known(free_mib); }
  std::optional<int64_t> used() const { return known(used_mib); }
  std::optional<int64_t> util() const { return known(utilization); }
  std::optional<int64_t> temp() const { return known(temperature); }
  std::optional<double> power() const {
    return power_w < 0 ? std::nullopt : std::optional<double>(power_w);
  }

 private:
  static std::optional<int64_t> known(int64_t v) {
    return v < 0 ? std::nullopt : std::optional<int64_t>(v);
  }
};

class GpuHistory {
 public:
  explicit GpuHistory(size_t capacity) : points_(capacity) {}
  void push(const HistoryPoint& point);
  // Oldest first.
  std::vector<HistoryPoint> points() const;
  size_t size() const { return size_; }
  size_t capacity() const { return points_.size(); }

 private:
  std::vector<HistoryPoint> points_;
  size_t next_ = 0;
  size_t size_ = 0;
};

}  // namespace flowline

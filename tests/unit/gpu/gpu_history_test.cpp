#include "gpu/gpu_history.hpp"

#include <gtest/gtest.h>

namespace flowline {
namespace {

TEST(GpuHistory, UnknownStaysUnknown) {
  GpuInfo gpu;
  gpu.total_memory_mib = 24000;
  gpu.free_memory_mib = 1000;
  gpu.power_w = 0.0;  // a real zero is kept
  HistoryPoint p = HistoryPoint::from(5, gpu);
  EXPECT_EQ(p.free(), 1000);
  EXPECT_EQ(p.used(), 23000);
  EXPECT_EQ(p.util(), std::nullopt);
  EXPECT_EQ(p.temp(), std::nullopt);
  EXPECT_EQ(p.power(), 0.0);
  EXPECT_EQ(HistoryPoint::from(5, GpuInfo{}).used(), std::nullopt);
}

TEST(GpuHistory, RingWrapsOldestFirst) {
  GpuHistory history(3);
  for (Millis t = 1; t <= 7; ++t) history.push(HistoryPoint::from(t, GpuInfo{}));
  auto points = history.points();
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[0].time_ms, 5);
  EXPECT_EQ(points[2].time_ms, 7);
  EXPECT_LE(sizeof(HistoryPoint), 32u);  // an hour of 8 GPUs stays under 1 MiB
}

}  // namespace
}  // namespace flowline

// The C++ API's comparator and GPU view, as the scheduler's ordering sees them.
#include "api/gpu_comparator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

namespace flowline {
namespace {

GpuInfo gpu(int index, std::optional<int64_t> free_mib) {
  GpuInfo g;
  g.index = index;
  g.free_memory_mib = free_mib;
  g.total_memory_mib = 24000;
  return g;
}

std::vector<int> sorted_indices(std::vector<GpuInfo> gpus, const GpuLess& less) {
  std::stable_sort(gpus.begin(), gpus.end(), less);
  std::vector<int> out;
  for (const auto& g : gpus) out.push_back(g.index);
  return out;
}

TEST(PublicGpuInfo, CarriesEveryFieldAndKeepsUnknownUnknown) {
  GpuInfo g = gpu(2, 5000);
  g.name = "NVIDIA A100";
  g.utilization = 40;
  g.temperature = 61;
  g.power_w = 120.5;
  g.max_power_w = 400;
  g.processes = std::vector<GpuProcess>{{10, "me", 100, true, std::nullopt}, {11, "bob", 200, false, std::nullopt}};
  api::GpuInfo p = public_gpu_info(g);
  EXPECT_EQ(p.index, 2);
  EXPECT_EQ(p.name, "NVIDIA A100");
  EXPECT_EQ(p.free_memory, 5000);
  EXPECT_EQ(p.total_memory, 24000);
  EXPECT_EQ(p.utilization, 40);
  EXPECT_EQ(p.user_process_num, 1);
  EXPECT_EQ(p.all_process_num, 2);
  EXPECT_EQ(p.temperature, 61);
  EXPECT_EQ(p.power, 120.5);
  EXPECT_EQ(p.max_power, 400);

  api::GpuInfo unknown = public_gpu_info(gpu(0, std::nullopt));
  EXPECT_FALSE(unknown.free_memory);
  EXPECT_FALSE(unknown.utilization);
  EXPECT_FALSE(unknown.user_process_num) << "process list unreadable: unknown, not 0";
  EXPECT_FALSE(unknown.all_process_num);
  EXPECT_FALSE(unknown.power);
}

TEST(GpuLessOf, OrdersAsTheComparatorSays) {
  // The original's example cmp: more free memory first.
  auto more_free_first = [](const api::GpuInfo& a, const api::GpuInfo& b) {
    if (*a.free_memory > *b.free_memory) return -1;
    if (*a.free_memory < *b.free_memory) return 1;
    return 0;
  };
  std::vector<GpuInfo> gpus = {gpu(0, 1000), gpu(1, 9000), gpu(2, 5000), gpu(3, 9000)};
  EXPECT_EQ(sorted_indices(gpus, gpu_less_of(more_free_first)), (std::vector<int>{1, 3, 2, 0}));
  // Ties (0) go to the lower index whatever the input order.
  std::vector<GpuInfo> reversed(gpus.rbegin(), gpus.rend());
  EXPECT_EQ(sorted_indices(reversed, gpu_less_of(more_free_first)), (std::vector<int>{1, 3, 2, 0}));
}

TEST(GpuLessOf, HighestIndexFirst) {
  auto by_index_desc = [](const api::GpuInfo& a, const api::GpuInfo& b) {
    return b.index - a.index;
  };
  std::vector<GpuInfo> gpus = {gpu(0, 1), gpu(1, 1), gpu(2, 1)};
  EXPECT_EQ(sorted_indices(gpus, gpu_less_of(by_index_desc)), (std::vector<int>{2, 1, 0}));
}

TEST(GpuLessOf, AThrowingComparatorDoesNotEscapeAndMeansATie) {
  auto throws = [](const api::GpuInfo&, const api::GpuInfo&) -> int {
    throw std::runtime_error("boom");
  };
  std::vector<GpuInfo> gpus = {gpu(2, 1), gpu(0, 1), gpu(1, 1)};
  EXPECT_EQ(sorted_indices(gpus, gpu_less_of(throws)), (std::vector<int>{0, 1, 2}));
}

}  // namespace
}  // namespace flowline

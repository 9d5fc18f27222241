#include "core/gpu_order.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace flowline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

GpuInfo gpu(int index, std::optional<int64_t> free, std::optional<int64_t> util) {
  GpuInfo g;
  g.index = index;
  g.free_memory_mib = free;
  g.total_memory_mib = 24000;
  g.utilization = util;
  return g;
}

std::vector<int> sorted_indices(const GpuOrder& order, std::vector<GpuInfo> gpus) {
  std::sort(gpus.begin(), gpus.end(),
            [&](const GpuInfo& a, const GpuInfo& b) { return gpu_less(order, a, b); });
  std::vector<int> indices;
  for (const auto& g : gpus) indices.push_back(g.index);
  return indices;
}

TEST(GpuOrder, DefaultPrefersMostFreeMemoryThenLeastUtilizationThenIndex) {
  EXPECT_EQ(to_string(default_gpu_order()), "free_memory desc, utilization asc, index asc");
  const std::vector<GpuInfo> gpus = {gpu(0, 1000, 5), gpu(1, 20000, 90), gpu(2, 20000, 10),
                                     gpu(3, 20000, 10)};
  EXPECT_THAT(sorted_indices(default_gpu_order(), gpus), ElementsAre(2, 3, 1, 0));
}

TEST(GpuOrder, ParsesFieldsAndDirections) {
  auto order = parse_gpu_order("utilization desc,  temperature ,power asc");
  ASSERT_TRUE(order.ok()) << order.error().message;
  EXPECT_EQ(to_string(*order), "utilization desc, temperature asc, power asc");
  for (const char* field :
       {"index", "free_memory", "total_memory", "utilization", "user_process_num",
        "all_process_num", "temperature", "power", "max_power"}) {
    EXPECT_TRUE(parse_gpu_order(field).ok()) << field;
  }
}

TEST(GpuOrder, UnknownFieldIsNamedAndValidOnesListed) {
  auto order = parse_gpu_order("free_mem desc");
  ASSERT_FALSE(order.ok());
  EXPECT_THAT(order.error().message, HasSubstr("unknown GPU field 'free_mem'"));
  EXPECT_THAT(order.error().message, HasSubstr("free_memory, total_memory, utilization"));
}

TEST(GpuOrder, BadDirectionEmptyTermAndRepeatsAreRefused) {
  auto bad_dir = parse_gpu_order("index down");
  ASSERT_FALSE(bad_dir.ok());
  EXPECT_THAT(bad_dir.error().message, HasSubstr("unknown direction 'down'"));
  EXPECT_THAT(bad_dir.error().message, HasSubstr("asc, desc"));
  EXPECT_FALSE(parse_gpu_order("").ok());
  EXPECT_FALSE(parse_gpu_order("index,").ok());
  EXPECT_FALSE(parse_gpu_order("index desc extra").ok());
  auto twice = parse_gpu_order("power, power desc");
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(twice.error().message, HasSubstr("'power' is given twice"));
}

TEST(GpuOrder, UnknownValuesSortLastInEitherDirection) {
  const std::vector<GpuInfo> gpus = {gpu(0, std::nullopt, 0), gpu(1, 500, 0), gpu(2, 900, 0)};
  EXPECT_THAT(sorted_indices(*parse_gpu_order("free_memory desc"), gpus), ElementsAre(2, 1, 0));
  EXPECT_THAT(sorted_indices(*parse_gpu_order("free_memory asc"), gpus), ElementsAre(1, 2, 0));
}

TEST(GpuOrder, UnreadableProcessListIsUnknownNotZero) {
  GpuInfo busy = gpu(0, 100, 0);
  busy.processes = std::vector<GpuProcess>{{1, "ann", 10, false, std::nullopt}, {2, "bob", 10, true, std::nullopt}};
  GpuInfo unreadable = gpu(1, 100, 0);  // processes == nullopt
  GpuInfo idle = gpu(2, 100, 0);
  idle.processes = std::vector<GpuProcess>{};
  const auto order = *parse_gpu_order("all_process_num");
  EXPECT_THAT(sorted_indices(order, {busy, unreadable, idle}), ElementsAre(2, 0, 1));
  const auto mine = *parse_gpu_order("user_process_num desc");
  EXPECT_THAT(sorted_indices(mine, {busy, unreadable, idle}), ElementsAre(0, 2, 1));
}

TEST(GpuOrder, TiesAreBrokenByIndex) {
  const auto order = *parse_gpu_order("total_memory desc");
  EXPECT_THAT(sorted_indices(order, {gpu(3, 1, 1), gpu(1, 2, 2), gpu(2, 3, 3)}),
              ElementsAre(1, 2, 3));
  EXPECT_FALSE(gpu_less(order, gpu(1, 1, 1), gpu(1, 1, 1)));  // irreflexive
}

TEST(GpuOrder, NanPowerCountsAsUnknown) {
  GpuInfo a = gpu(0, 1, 1);
  a.power_w = std::nan("");
  GpuInfo b = gpu(1, 1, 1);
  b.power_w = 100.0;
  const auto order = *parse_gpu_order("power");
  EXPECT_TRUE(gpu_less(order, b, a));
  EXPECT_FALSE(gpu_less(order, a, b));
}

}  // namespace
}  // namespace flowline

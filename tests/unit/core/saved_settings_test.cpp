#include "core/saved_settings.hpp"

#include <gtest/gtest.h>

namespace flowline::saved {
namespace {

TEST(SavedSettings, NumbersReadBackAndOthersAreRefusedWithTheReason) {
  EXPECT_EQ(*parse_number(number_text(3), 1), 3);
  EXPECT_EQ(*parse_number("0", 0), 0);
  for (const char* bad : {"", "x", "3x", "-1", " 3", "99999999999999999999"}) {
    Result<int64_t> n = parse_number(bad, 0);
    ASSERT_FALSE(n.ok()) << bad;
    EXPECT_EQ(n.error().message, "'" + std::string(bad) + "' is not a whole number ≥ 0");
  }
  EXPECT_FALSE(parse_number("0", 1).ok());  // max is at least 1
}

TEST(SavedSettings, OrderReadsBackAsTheSameKeysOrTheDefault) {
  Result<GpuOrder> keys = parse_gpu_order("index desc, utilization");
  ASSERT_TRUE(keys.ok());
  const std::string text = order_text(*keys);
  EXPECT_EQ(text, "index desc, utilization asc");
  Result<std::optional<GpuOrder>> back = parse_order(text);
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ(to_string(**back), text);
  EXPECT_EQ(order_text(std::nullopt), "default");
  Result<std::optional<GpuOrder>> by_default = parse_order("default");
  ASSERT_TRUE(by_default.ok());
  EXPECT_FALSE(by_default->has_value());
  EXPECT_FALSE(parse_order("speed desc").ok());  // a key this version does not know
}

TEST(SavedSettings, GpuSetsReadBackAndNoneIsEmpty) {
  EXPECT_EQ(gpu_set_text({3, 1}), "1,3");
  EXPECT_EQ(*parse_gpu_set("1,3"), (std::set<int>{1, 3}));
  EXPECT_EQ(gpu_set_text({}), "");
  EXPECT_TRUE(parse_gpu_set("")->empty());
  for (const char* bad : {"1,", ",1", "1,,3", "a", "-1", "99999999999"}) {
    Result<std::set<int>> gpus = parse_gpu_set(bad);
    ASSERT_FALSE(gpus.ok()) << bad;
    EXPECT_EQ(gpus.error().message,
              "'" + std::string(bad) + "' is not a list of GPU indices like 1,3");
  }
}

TEST(SavedSettings, DispatchIsOnOrOff) {
  EXPECT_TRUE(*parse_on_off(on_off_text(true)));
  EXPECT_FALSE(*parse_on_off(on_off_text(false)));
  EXPECT_FALSE(parse_on_off("yes").ok());
  EXPECT_EQ(parse_on_off("").error().message, "'' is neither on nor off");
}

}  // namespace
}  // namespace flowline::saved

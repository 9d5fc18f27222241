#include "core/repeated_failure.hpp"

#include <gtest/gtest.h>

namespace flowline {
namespace {

// Issue 14: an unwritable table was reported every 200 ms (18,000 lines an hour).
TEST(RepeatedFailure, SaidOnceThenRemindedThenItsEndIsSaid) {
  RepeatedFailure table("update the table", "the table is written again", 300'000);
  Millis now = 1'000'000;
  EXPECT_EQ(table.failed("disk full", now), "disk full");
  int said = 0;
  for (int i = 1; i < 1000; ++i)  // 200 s of attempts every 200 ms
    said += table.failed("disk full", now + i * 200).has_value();
  EXPECT_EQ(said, 0);
  EXPECT_EQ(table.failed("disk full", now + 300'000),
            "still cannot update the table (for 5m, 1001 attempts): disk full");
  EXPECT_FALSE(table.failed("disk full", now + 300'200));
  EXPECT_EQ(table.failed("permission denied", now + 301'000), "permission denied");
  EXPECT_EQ(table.succeeded(now + 420'000), "the table is written again (it had failed for 7m)");
  EXPECT_FALSE(table.succeeded(now + 420'200));
  EXPECT_FALSE(table.failing());
  EXPECT_EQ(table.failed("disk full", now + 500'000), "disk full");  // a new spell: said again
}

TEST(RepeatedFailure, DurationsReadLikeAPersonWritesThem) {
  EXPECT_EQ(failure_duration(45'000), "45s");
  EXPECT_EQ(failure_duration(12 * 60'000 + 5'000), "12m");
  EXPECT_EQ(failure_duration(3 * 3'600'000 + 20 * 60'000), "3h20m");
}

}  // namespace
}  // namespace flowline

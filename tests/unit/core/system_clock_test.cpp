// SystemClock counts on the monotonic clock from the wall time at its start: a jump of the
// system clock moves nothing FlowLine times, and drift_ms() says how far the two are apart.
#include "core/system_clock.hpp"

#include <gtest/gtest.h>

namespace flowline {
namespace {

TEST(SystemClock, FollowsTheMonotonicClockNotAJumpOfTheWallClock) {
  Millis wall = 1'800'000'000'000, steady = 5'000;
  SystemClock clock([&] { return wall; }, [&] { return steady; });
  EXPECT_EQ(clock.now_ms(), 1'800'000'000'000);
  wall += 1'000, steady += 1'000;
  EXPECT_EQ(clock.now_ms(), 1'800'000'001'000);
  EXPECT_EQ(clock.drift_ms(), 0);
  wall -= 3'600'000;  // the system clock goes back an hour
  wall += 500, steady += 500;
  EXPECT_EQ(clock.now_ms(), 1'800'000'001'500);  // still counting on
  EXPECT_EQ(clock.drift_ms(), -3'600'000);
  wall += 7'200'000;  // and then two hours ahead
  EXPECT_EQ(clock.now_ms(), 1'800'000'001'500);
  EXPECT_EQ(clock.drift_ms(), 3'600'000);
}

TEST(SystemClock, ReadsTheRealClocksByDefault) {
  SystemClock clock;
  const Millis a = clock.now_ms(), b = clock.now_ms();
  EXPECT_LE(a, b);
  EXPECT_LT(std::abs(clock.drift_ms()), 1'000);
}

}  // namespace
}  // namespace flowline

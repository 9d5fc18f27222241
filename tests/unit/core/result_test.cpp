#include "core/result.hpp"

#include <gtest/gtest.h>

namespace flowline {

TEST(Result, CarriesValueOrError) {
  Result<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad = Error{"todo.csv:3:2: bad value"};
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "todo.csv:3:2: bad value");
}

TEST(ResultDeathTest, UsingFailedValueAborts) {
  Result<int> bad = Error{"x"};
  EXPECT_DEATH((void)bad.value(), "");
}

}  // namespace flowline

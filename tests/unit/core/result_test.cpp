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

// A plain Error{"..."} is a bad request; the helpers say the other kinds.
TEST(Result, ErrorsCarryAKindThatDefaultsToBadRequest) {
  Result<int> plain = Error{"max must be at least 1"};
  EXPECT_EQ(plain.error().kind, ErrorKind::kBadRequest);
  EXPECT_EQ(not_found("no task 9").kind, ErrorKind::kNotFound);
  EXPECT_EQ(not_found("no task 9").message, "no task 9");
  EXPECT_EQ(conflict("done").kind, ErrorKind::kConflict);
  EXPECT_EQ(unavailable("stopping").kind, ErrorKind::kUnavailable);
  EXPECT_EQ(internal_error("disk").kind, ErrorKind::kInternal);
  EXPECT_STREQ(error_kind_name(ErrorKind::kBadRequest), "bad request");
  EXPECT_STREQ(error_kind_name(ErrorKind::kNotFound), "not found");
  EXPECT_STREQ(error_kind_name(ErrorKind::kConflict), "conflict");
  EXPECT_STREQ(error_kind_name(ErrorKind::kUnavailable), "unavailable");
  EXPECT_STREQ(error_kind_name(ErrorKind::kInternal), "internal");
}

TEST(ResultDeathTest, UsingFailedValueAborts) {
  Result<int> bad = Error{"x"};
  EXPECT_DEATH((void)bad.value(), "");
}

}  // namespace flowline

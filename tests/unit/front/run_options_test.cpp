#include "front/cli/run_options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace flowline::cli {
namespace {

using ::testing::HasSubstr;

TEST(RunOptions, PackAndOtherFlagsTakeNoValue) {
  auto parsed = parse_run_options({"t.csv", "--pack", "--batch", "--max=3"}, "run");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(parsed->settings.pack_largest_first);
  EXPECT_TRUE(parsed->batch);
  EXPECT_EQ(parsed->settings.max_running, 3);
  auto plain = parse_run_options({"t.csv"}, "run");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->settings.pack_largest_first);  // table order unless asked

  for (const char* flag : {"--pack=1", "--batch=yes", "--start=no"}) {
    auto bad = parse_run_options({"t.csv", flag}, "run");
    ASSERT_FALSE(bad.ok()) << flag;
    EXPECT_THAT(bad.error().message, HasSubstr("takes no value")) << flag;
    EXPECT_THAT(bad.error().message, HasSubstr(flag));
  }
}

TEST(RunOptions, UnknownOptionNamesItself) {
  auto bad = parse_run_options({"t.csv", "--packing"}, "run");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("unknown option '--packing'"));
}

}  // namespace
}  // namespace flowline::cli

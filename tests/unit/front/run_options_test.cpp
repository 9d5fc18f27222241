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

// Memory that learns (issue 13): --min-mem auto, --mem-group, --mem-margin.
TEST(RunOptions, MinMemAutoWithAGroupAndAMargin) {
  auto parsed = parse_run_options(
      {"t.csv", "--min-mem", "auto", "--mem-group", "model, dataset", "--mem-margin=20"}, "run");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_TRUE(parsed->settings.min_mem_auto);
  EXPECT_TRUE(parsed->min_mem_given);
  EXPECT_EQ(parsed->settings.default_min_mem_mib, 10000);  // asked before any measurement
  EXPECT_EQ(parsed->settings.mem_group_columns, (std::vector<std::string>{"model", "dataset"}));
  EXPECT_EQ(parsed->settings.memory_margin_percent, 20);
  EXPECT_FALSE(parsed->settings.memory_margin_learned);  // a number is used as given
  auto number = parse_run_options({"t.csv", "--min-mem", "8000"}, "run");
  ASSERT_TRUE(number.ok());
  EXPECT_FALSE(number->settings.min_mem_auto);
  auto bad = parse_run_options({"t.csv", "--min-mem", "lots"}, "run");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("or auto"));
  auto empty = parse_run_options({"t.csv", "--mem-group", "model,"}, "run");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.error().message, HasSubstr("--mem-group: expected parameter columns"));
  EXPECT_THAT(run_options_help("run"), HasSubstr("--min-mem auto"));
}

// The engine applies a saved setting unless the command line gave it, even at its default.
TEST(RunOptions, KnowsWhichSettingsTheCommandLineGave) {
  auto given = parse_run_options({"t.csv", "--max", "4", "--min-mem=10000", "--order", "index"},
                                 "run");
  ASSERT_TRUE(given.ok()) << given.error().message;
  EXPECT_TRUE(given->max_given);
  EXPECT_TRUE(given->min_mem_given);
  EXPECT_TRUE(given->order_given);
  auto plain = parse_run_options({"t.csv", "--retries", "1"}, "run");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->max_given);
  EXPECT_FALSE(plain->min_mem_given);
  EXPECT_FALSE(plain->order_given);
  EXPECT_FALSE(plain->only_gpus.has_value());
  EXPECT_FALSE(plain->start);
}

TEST(RunOptions, UnknownOptionNamesItself) {
  auto bad = parse_run_options({"t.csv", "--packing"}, "run");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("unknown option '--packing'"));
}

}  // namespace
}  // namespace flowline::cli

namespace flowline::cli {
namespace {

// Issue 14: --log-limit takes sizes as `ls -h` shows them; 0 lifts the cap.
TEST(RunOptions, LogLimitTakesSizesAndDefaultsToOneGiB) {
  auto plain = parse_run_options({"t.csv"}, "run");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->log_limit, int64_t{1} << 30);
  const std::pair<const char*, int64_t> sizes[] = {
      {"500M", 500ll << 20}, {"2G", 2ll << 30}, {"64K", 64 << 10}, {"0", 0},
      {"1000", 1000},        {"3GiB", 3ll << 30}};
  for (auto [text, bytes] : sizes) {
    auto parsed = parse_run_options({"t.csv", "--log-limit", text}, "run");
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error().message;
    EXPECT_EQ(parsed->log_limit, bytes) << text;
  }
  for (const char* bad : {"-1", "M", "5X", "1.5G", "99999999999T"}) {
    auto parsed = parse_run_options({"t.csv", "--log-limit", bad}, "run");
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_THAT(parsed.error().message, HasSubstr("--log-limit: expected a size")) << bad;
  }
}

}  // namespace
}  // namespace flowline::cli

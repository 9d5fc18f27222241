#include "front/cli/option_parser.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace flowline::cli {
namespace {

using ::testing::HasSubstr;

OptionParser parser() {
  OptionParser p("flowline demo", "TABLE [--cmd TEMPLATE] [--json]");
  p.value("--cmd", "TEMPLATE", "command template").flag("--json", "JSON output").positionals(1, 1);
  return p;
}

std::string error_of(const Args& args) {
  auto parsed = parser().parse(args);
  EXPECT_FALSE(parsed.ok());
  return parsed.ok() ? "" : parsed.error().message;
}

TEST(OptionParser, ReadsValuesFlagsAndPositionals) {
  auto parsed = parser().parse({"todo.csv", "--cmd", "{cmd} {args}", "--json"});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->positionals, std::vector<std::string>{"todo.csv"});
  EXPECT_EQ(parsed->value("--cmd"), "{cmd} {args}");
  EXPECT_TRUE(parsed->has("--json"));
  EXPECT_FALSE(parsed->help);
}

TEST(OptionParser, AcceptsEqualsFormAndDoubleDash) {
  auto parsed = parser().parse({"--cmd=--x {lr}", "--", "--weird-name.csv"});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->value("--cmd"), "--x {lr}");
  EXPECT_EQ(parsed->positionals, std::vector<std::string>{"--weird-name.csv"});
  EXPECT_FALSE(parsed->has("--json"));
  EXPECT_EQ(parsed->value("--missing"), std::nullopt);
}

TEST(OptionParser, ErrorsSayWhatIsWrongAndShowUsage) {
  EXPECT_THAT(error_of({"t.csv", "--bogus"}), HasSubstr("flowline demo: unknown option '--bogus'"));
  EXPECT_THAT(error_of({"t.csv", "--cmd"}),
              HasSubstr("option '--cmd' needs a value (--cmd TEMPLATE)"));
  EXPECT_THAT(error_of({"t.csv", "--json=1"}), HasSubstr("option '--json' takes no value"));
  EXPECT_THAT(error_of({"t.csv", "--cmd", "a", "--cmd", "b"}), HasSubstr("more than once"));
  EXPECT_THAT(error_of({}), HasSubstr("missing argument"));
  EXPECT_THAT(error_of({"a.csv", "b.csv"}), HasSubstr("unexpected argument 'b.csv'"));
  EXPECT_THAT(error_of({}), HasSubstr("\nusage: flowline demo TABLE [--cmd TEMPLATE] [--json]"));
}

TEST(OptionParser, HelpWinsAndListsOptions) {
  auto parsed = parser().parse({"--bogus-later-is-ignored", "-h"});
  ASSERT_FALSE(parsed.ok());  // an unknown option before --help is still an error
  auto help = parser().parse({"-h", "--bogus"});
  ASSERT_TRUE(help.ok());
  EXPECT_TRUE(help->help);
  const std::string text = parser().help_text();
  EXPECT_THAT(text, HasSubstr("usage: flowline demo TABLE"));
  EXPECT_THAT(text, HasSubstr("--cmd TEMPLATE"));
  EXPECT_THAT(text, HasSubstr("--json"));
}

}  // namespace
}  // namespace flowline::cli

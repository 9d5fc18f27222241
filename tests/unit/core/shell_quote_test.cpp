#include "core/shell_quote.hpp"

#include <gtest/gtest.h>

namespace flowline {

TEST(ShellQuote, SafeValuesStayBare) {
  EXPECT_EQ(shell_quote("resnet50"), "resnet50");
  EXPECT_EQ(shell_quote("0.001"), "0.001");
  EXPECT_EQ(shell_quote("-1e-05"), "-1e-05");
  EXPECT_EQ(shell_quote("data/train.csv"), "data/train.csv");
  EXPECT_EQ(shell_quote("a=b,c:d+e@f%g"), "a=b,c:d+e@f%g");
}

TEST(ShellQuote, EmptyIsAnEmptyWord) { EXPECT_EQ(shell_quote(""), "''"); }

TEST(ShellQuote, SpacesAndMetacharactersAreSingleQuoted) {
  EXPECT_EQ(shell_quote("hello world"), "'hello world'");
  EXPECT_EQ(shell_quote("$HOME"), "'$HOME'");
  EXPECT_EQ(shell_quote("a;rm -rf /"), "'a;rm -rf /'");
  EXPECT_EQ(shell_quote("`id`"), "'`id`'");
  EXPECT_EQ(shell_quote("*.txt"), "'*.txt'");
  EXPECT_EQ(shell_quote("~"), "'~'");
  EXPECT_EQ(shell_quote("line1\nline2"), "'line1\nline2'");
  EXPECT_EQ(shell_quote("naïve"), "'naïve'");
}

TEST(ShellQuote, EmbeddedSingleQuotesAreEscaped) {
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("'"), "''\\'''");
  EXPECT_EQ(shell_quote("say \"hi\""), "'say \"hi\"'");
}

TEST(ShellQuote, AppendAddsToExistingText) {
  std::string out = "--x ";
  append_shell_quoted(out, "a b");
  EXPECT_EQ(out, "--x 'a b'");
}

}  // namespace flowline

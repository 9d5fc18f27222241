#include "front/shell/text_table.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "front/shell/text_width.hpp"

namespace flowline::shell {
namespace {

TEST(TextWidth, CountsCodePointsAndElidesWithEllipsis) {
  EXPECT_EQ(display_width("résumé…"), 7u);
  EXPECT_EQ(elide("abcdef", 4), "abc…");
  EXPECT_EQ(elide("abc", 4), "abc");
  EXPECT_EQ(elide("ééééé", 3), "éé…");
  EXPECT_EQ(one_line("a\nb\tc\033[2J"), "a\\nb\\tc\\x1b[2J");
}

TEST(TextWidth, WideCharactersTakeTwoColumnsAndAreNeverSplit) {
  EXPECT_EQ(display_width("实验-s0"), 7u);
  EXPECT_EQ(display_width("🚀x"), 3u);
  EXPECT_EQ(display_width("e\u0301"), 1u);  // e + combining acute
  EXPECT_EQ(elide("实验基线", 5), "实验…");
  EXPECT_EQ(elide_middle("实验基线种子", 7), "实…种子");  // 7 columns, no half character
}

TEST(TextWidth, MiddleElisionKeepsTheEndThatTellsGridRowsApart) {
  EXPECT_EQ(elide_middle("imagenet100-resnet18-baseline-s0", 16), "imagenet…line-s0");
  EXPECT_EQ(elide_middle("imagenet100-resnet18-baseline-s1", 16), "imagenet…line-s1");
  EXPECT_EQ(elide_middle("short", 16), "short");
}

TEST(TextWidth, ControlCharactersAreShownNotSent) {
  EXPECT_EQ(one_line("a\x1b[31mb\x7f\xc2\x9b"
                     "c\xff"),
            "a\\x1b[31mb\\x7f\\u009bc\\xff");
  EXPECT_EQ(visible_lines("one\ntwo\x1b"), "one\ntwo\\x1b");
}

TEST(TextWidth, WrapsAtSpacesAndSplitsOnlyWordsLongerThanALine) {
  EXPECT_EQ(wrap_words("python train.py --lr 0.1", 12),
            (std::vector<std::string>{"python", "train.py", "--lr 0.1"}));
  EXPECT_EQ(wrap_words("abcdefghij", 4), (std::vector<std::string>{"abcd", "efgh", "ij"}));
  EXPECT_EQ(wrap_words("fits", 0), (std::vector<std::string>{"fits"}));
}

TEST(TextWidth, WrapLinesKeepsShortLinesAndIndentsContinuations) {
  EXPECT_EQ(wrap_lines("short\n  a long line of words here\n", 12),
            "short\n  a long\n  line of\n  words here\n");
  EXPECT_EQ(wrap_lines("anything at all", 0), "anything at all");
}

TEST(TextTable, DistinctColumnNeverElidesTwoNamesToOneText) {
  // Both names differ only in their 15th character: the column keeps enough of them.
  TextTable t(
      {{"ID", true}, {.header = "NAME", .distinct = true}, {.header = "NOTE", .flexible = true}});
  t.add_row({{"0"}, {"abcdefghijklmnXpqrstuvwxyz"}, {"waiting"}});
  t.add_row({{"1"}, {"abcdefghijklmnYpqrstuvwxyz"}, {"waiting"}});
  const std::string text = t.render(20, Style(false));
  std::istringstream lines(text);
  std::string header;
  std::getline(lines, header);
  std::string a, b;
  std::getline(lines, a);
  std::getline(lines, b);
  EXPECT_NE(a.substr(0, 30), b.substr(0, 30)) << text;
  EXPECT_NE(a.find('X'), std::string::npos) << text;
}

TEST(TextTable, NoLineEndsInSpaces) {
  TextTable t({{"ID", true}, {"NAME"}, {"NOTE"}});
  t.add_row({{"1"}, {"a"}, {""}});
  t.add_row({{"2"}, {"b"}, {"", Colour::kRed}});
  EXPECT_EQ(t.render(0, Style(true)).find(" \n"), std::string::npos);
  EXPECT_EQ(t.render(0, Style(false)), "ID  NAME  NOTE\n 1  a\n 2  b\n");
}

TEST(TextTable, FlexibleColumnShrinksFirstAndNeverBelowItsHeader) {
  TextTable t({{"ID", true}, {"NAME"}, {"COMMAND", false, 0, true}});
  t.add_row({{"7"}, {"first"}, {"python train.py --epochs 100"}});
  EXPECT_EQ(t.render(0, Style(false)),
            "ID  NAME   COMMAND\n"
            " 7  first  python train.py --epochs 100\n");
  EXPECT_EQ(t.render(24, Style(false)),
            "ID  NAME   COMMAND\n"
            " 7  first  python train…\n");  // exactly 24 columns
  // Too narrow even for the headers: the flexible column keeps its header width.
  EXPECT_EQ(t.render(5, Style(false)),
            "ID  NAME   COMMAND\n"
            " 7  first  python…\n");
}

TEST(TextTable, CappedColumnIsElided) {
  TextTable t({{"NAME", false, 5}, {"X"}});
  t.add_row({{"a-very-long-name"}, {"1"}});
  EXPECT_EQ(t.render(0, Style(false)), "NAME   X\na-ve…  1\n");
}

}  // namespace
}  // namespace flowline::shell

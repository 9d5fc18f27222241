#include "front/shell/text_table.hpp"

#include <gtest/gtest.h>

#include "front/shell/text_width.hpp"

namespace flowline::shell {
namespace {

TEST(TextWidth, CountsCodePointsAndElidesWithEllipsis) {
  EXPECT_EQ(display_width("résumé…"), 7u);
  EXPECT_EQ(elide("abcdef", 4), "abc…");
  EXPECT_EQ(elide("abc", 4), "abc");
  EXPECT_EQ(elide("ééééé", 3), "éé…");
  EXPECT_EQ(one_line("a\nb\tc\033[2J"), "a b c [2J");
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

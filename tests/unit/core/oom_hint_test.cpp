#include "core/oom_hint.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace flowline {
namespace {

using ::testing::HasSubstr;

TEST(RepeatedOomHint, ComesAtTheThirdAndEveryTenthOomInARow) {
  std::vector<int64_t> hinted;
  for (int64_t n = 1; n <= 40; ++n)
    if (!repeated_oom_hint(n, 1000).empty()) hinted.push_back(n);
  EXPECT_EQ(hinted, (std::vector<int64_t>{3, 10, 20, 30, 40}));
}

TEST(RepeatedOomHint, SaysWhatToChange) {
  std::string hint = repeated_oom_hint(3, 1000);
  EXPECT_THAT(hint, HasSubstr("3 times in a row with min_mem 1000 MiB"));
  EXPECT_THAT(hint, HasSubstr("raise its min_mem in the table"));
}

}  // namespace
}  // namespace flowline

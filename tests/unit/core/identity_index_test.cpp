#include "core/identity_index.hpp"

#include <gtest/gtest.h>

namespace flowline {
namespace {

TaskIdentity identity(uint64_t n) { return {n * 0x9e3779b97f4a7c15ULL, n}; }

TEST(IdentityIndex, FindsWhatWasGivenAndNothingElse) {
  IdentityIndex index;
  EXPECT_FALSE(index.find(identity(1)).has_value());
  index.set(identity(1), 7);
  EXPECT_EQ(index.find(identity(1)), 7);
  EXPECT_FALSE(index.contains(identity(2)));
  index.set(identity(1), 8);  // replaced
  EXPECT_EQ(index.find(identity(1)), 8);
  EXPECT_EQ(index.size(), 1u);
}

TEST(IdentityIndex, TryEmplaceKeepsAnExistingId) {
  IdentityIndex index;
  EXPECT_EQ(index.try_emplace(identity(3), 0), std::make_pair(int64_t{0}, true));
  EXPECT_EQ(index.try_emplace(identity(3), 1), std::make_pair(int64_t{0}, false));
}

TEST(IdentityIndex, KeepsEveryEntryAsItGrows) {
  IdentityIndex index;
  for (uint64_t i = 0; i < 5000; ++i) index.try_emplace(identity(i), static_cast<int64_t>(i));
  ASSERT_EQ(index.size(), 5000u);
  for (uint64_t i = 0; i < 5000; ++i) ASSERT_EQ(index.find(identity(i)), static_cast<int64_t>(i));
  EXPECT_FALSE(index.find(identity(5000)).has_value());
}

}  // namespace
}  // namespace flowline

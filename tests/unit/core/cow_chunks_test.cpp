#include "core/cow_chunks.hpp"

#include <gtest/gtest.h>

namespace flowline {
namespace {

using Small = CowChunks<int, 4>;

Small numbers(int n) {
  Small v;
  for (int i = 0; i < n; ++i) v.push_back(i);
  return v;
}

TEST(CowChunks, HoldsWhatWasPushedInOrder) {
  Small v = numbers(10);
  ASSERT_EQ(v.size(), 10u);
  int expected = 0;
  for (int x : v) EXPECT_EQ(x, expected++);
  EXPECT_EQ(v[9], 9);
}

TEST(CowChunks, ACopyKeepsWhatItSawWhenTheOriginalChanges) {
  Small v = numbers(10);
  const Small copy = v;
  v.mut(5) = 50;
  v.push_back(10);
  EXPECT_EQ(v[5], 50);
  EXPECT_EQ(copy[5], 5);
  EXPECT_EQ(copy.size(), 10u);
  // Only the changed chunk was copied: the others are still shared.
  EXPECT_EQ(&v[0], &copy[0]);
  EXPECT_NE(&v[5], &copy[5]);
}

TEST(CowChunks, AChunkNoCopyHoldsIsChangedInPlace) {
  Small v = numbers(6);
  const int* before = &v[1];
  v.mut(1) = 7;
  EXPECT_EQ(&v[1], before);
  EXPECT_EQ(v[1], 7);
}

}  // namespace
}  // namespace flowline

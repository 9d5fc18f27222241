#include "core/run_memory.hpp"

#include <gtest/gtest.h>

namespace flowline {
namespace {

TEST(MemoryTrace, KeepsEachStepsPeakAndStaysSmallHoweverLong) {
  MemoryTrace trace;
  trace.add(0, 100);
  trace.add(1000, 900);  // within the first step: raises its point, adds none
  trace.add(2000, 300);
  ASSERT_EQ(trace.points().size(), 1u);
  EXPECT_EQ(trace.points()[0].mib, 900);
  // Ten days of one sample a second.
  for (Millis t = 5000; t < 10LL * 24 * 3600 * 1000; t += 1000) trace.add(t, t == 500'000 ? 7777 : 50);
  EXPECT_LE(trace.points().size(), MemoryTrace::kMaxPoints);
  int64_t peak = 0;
  for (const MemoryPoint& p : trace.points()) peak = std::max(peak, p.mib);
  EXPECT_EQ(peak, 7777) << "a short spike was lost when the series was thinned";
}

TEST(RunMemoryText, SeriesAndHoldersSurviveTheStoreAndOddNames) {
  std::vector<MemoryPoint> series{{1000, 10}, {6000, 2000}};
  EXPECT_EQ(decode_series(encode_series(series)), series);
  std::vector<MemoryHolder> holders{{1, 4242, "alice", "py\tthon\nx\\y", 21300}, {0, 7, "", "", 5}};
  EXPECT_EQ(decode_holders(encode_holders(holders)), holders);
  EXPECT_TRUE(decode_series("garbage,1:x,:").empty());
  EXPECT_TRUE(decode_holders("1\t2\n").empty());
}

TEST(RunMemoryText, HoldersAreNamedLargestFirst) {
  std::vector<MemoryHolder> holders{{1, 10, "bob", "train", 500}, {1, 4242, "alice", "python", 21300}};
  EXPECT_EQ(describe_holders(holders),
            "alice's python (pid 4242) held 21,300 MiB on GPU 1, bob's train (pid 10) held 500 "
            "MiB on GPU 1");
  EXPECT_EQ(describe_holders({}), "");
  EXPECT_EQ(with_thousands(81559), "81,559");
  EXPECT_EQ(with_thousands(999), "999");
}

}  // namespace
}  // namespace flowline

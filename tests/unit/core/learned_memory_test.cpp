#include "core/learned_memory.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace flowline {
namespace {

using ::testing::HasSubstr;

MemFacts learning() {
  MemFacts f;
  f.learns = true;
  f.global_mib = 10000;
  f.margin_percent = 10;
  return f;
}

TEST(LearnedMemory, MarginThenRoundedUpTo100Mib) {
  EXPECT_EQ(with_margin(5000, 10), 5500);
  EXPECT_EQ(with_margin(5001, 10), 5600);  // 5501.1 → 5600
  EXPECT_EQ(with_margin(3000, 0), 3000);
  EXPECT_EQ(with_margin(2950, 0), 3000);
  EXPECT_EQ(with_margin(7000, 25), 8800);  // 8750 → 8800
}

TEST(LearnedMemory, OwnPeakBeatsGroupPeak) {
  MemFacts f = learning();
  f.own_peak_mib = 3000;
  f.group_peak_mib = 9000;
  f.group = "model=resnet";
  MemRequirement r = size_memory(f);
  EXPECT_EQ(r.mib, 3300);
  EXPECT_EQ(r.source, MemSource::kRuns);
}

TEST(LearnedMemory, GroupPeakBeforeItsOwnRuns) {
  MemFacts f = learning();
  f.group_peak_mib = 5000;
  f.group = "model=resnet,dataset=c10";
  f.explicit_mib = 20000;  // a number in the row is the fallback, not a floor
  MemRequirement r = size_memory(f);
  EXPECT_EQ(r.mib, 5500);
  EXPECT_EQ(r.source, MemSource::kGroup);
  EXPECT_EQ(r.group, "model=resnet,dataset=c10");
}

TEST(LearnedMemory, NoMeasurementFallsBackToMinMemThenGlobal) {
  MemFacts f = learning();
  EXPECT_EQ(size_memory(f).mib, 10000);
  EXPECT_EQ(size_memory(f).source, MemSource::kGlobal);
  f.explicit_mib = 6000;
  EXPECT_EQ(size_memory(f).mib, 6000);
  EXPECT_EQ(size_memory(f).source, MemSource::kMinMem);
}

TEST(LearnedMemory, ATaskThatDoesNotLearnIgnoresMeasurements) {
  MemFacts f;
  f.global_mib = 10000;
  f.own_peak_mib = 2000;
  f.group_peak_mib = 2000;
  f.group = "model=a";
  EXPECT_EQ(size_memory(f).mib, 10000);
  EXPECT_EQ(size_memory(f).source, MemSource::kGlobal);
}

TEST(LearnedMemory, NeverBelowWhatAnOutOfMemoryRaised) {
  MemFacts f = learning();
  f.own_peak_mib = 5000;
  f.raised_mib = 8000;
  EXPECT_EQ(size_memory(f).mib, 8000);
  EXPECT_EQ(size_memory(f).source, MemSource::kRaised);
  f.own_peak_mib = 9000;  // a larger peak measured later: learned wins
  EXPECT_EQ(size_memory(f).mib, 9900);
  EXPECT_EQ(size_memory(f).source, MemSource::kRuns);
}

// Three runs of a group that all used 15,000 MiB: 2 %, not 10 % (a 15,000 and a 7,000 run then
// share a 24,000 MiB GPU, as exact values would let them).
TEST(LearnedMemory, AGroupWhoseRunsAgreeGetsTheLeastMargin) {
  MemFacts f = learning();
  f.margin_learned = true;
  f.group = "size=large";
  f.group_peak_mib = 15000;
  f.group_least_mib = 15000;
  f.group_runs = 2;
  EXPECT_EQ(size_memory(f).mib, 16500);  // two runs: not enough to trust their agreement
  f.group_runs = 3;
  MemRequirement r = size_memory(f);
  EXPECT_EQ(r.mib, 15300);
  EXPECT_EQ(r.margin_percent, 2);
}

TEST(LearnedMemory, ALearnedMarginIsTwiceTheSpreadUpToTheConfiguredOne) {
  MemFacts f = learning();
  f.margin_learned = true;
  f.group = "size=large";
  f.group_peak_mib = 10000;
  f.group_runs = 5;
  f.group_least_mib = 9700;  // 3 % apart
  EXPECT_EQ(margin_percent_for(f), 6);
  EXPECT_EQ(size_memory(f).mib, 10600);
  f.group_least_mib = 8000;  // 20 % apart: capped at --mem-margin's 10
  EXPECT_EQ(margin_percent_for(f), 10);
  f.own_peak_mib = 9000;  // its own runs are sized with its group's margin too
  EXPECT_EQ(size_memory(f).mib, 9900);
}

TEST(LearnedMemory, AMarginTheUserGaveIsUsedAsItIs) {
  MemFacts f = learning();
  f.margin_learned = false;
  f.margin_percent = 10;
  f.group = "size=large";
  f.group_peak_mib = 15000;
  f.group_least_mib = 15000;
  f.group_runs = 10;
  EXPECT_EQ(size_memory(f).mib, 16500);
}

TEST(LearnedMemory, GroupPeaksKeepsTheSpreadOfItsRuns) {
  GroupPeaks peaks;
  EXPECT_TRUE(peaks.note("m=a", 5000));
  EXPECT_TRUE(peaks.note("m=a", 4800));   // the least fell: the margin may change
  EXPECT_TRUE(peaks.note("m=a", 4900));   // the third run: the margin is learned now
  EXPECT_FALSE(peaks.note("m=a", 4900));  // nothing a task asks for changes
  ASSERT_TRUE(peaks.memory("m=a"));
  EXPECT_EQ(peaks.memory("m=a")->peak_mib, 5000);
  EXPECT_EQ(peaks.memory("m=a")->least_mib, 4800);
  EXPECT_EQ(peaks.memory("m=a")->runs, 4);
  EXPECT_FALSE(peaks.note("", 100));
}

TEST(LearnedMemory, GroupKeyNamesColumnsAndValues) {
  Task t;
  t.params = TaskParams{{"model", "resnet"}, {"dataset", "c10"}, {"seed", "1"}};
  EXPECT_EQ(memory_group_of(t, {"model", "dataset"}), "model=resnet,dataset=c10");
  EXPECT_EQ(memory_group_of(t, {}), "");
}

TEST(LearnedMemory, GroupPeaksKeepTheMost) {
  GroupPeaks peaks;
  EXPECT_FALSE(peaks.peak("a").has_value());
  EXPECT_TRUE(peaks.note("a", 3000));
  EXPECT_TRUE(peaks.note("a", 2000));  // the least fell: a learned margin may change
  EXPECT_TRUE(peaks.note("a", 4000));
  EXPECT_EQ(peaks.peak("a"), 4000);
  EXPECT_FALSE(peaks.note("", 4000));  // no --mem-group: nothing to share
}

TEST(LearnedMemory, AnUnknownGroupColumnIsAnErrorThatListsTheParameters) {
  EXPECT_TRUE(check_memory_group({"model"}, {"name", "model", "lr"}).ok());
  Status s = check_memory_group({"modle"}, {"name", "model", "lr"});
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, HasSubstr("no column 'modle' (its parameters: model, lr)"));
  EXPECT_FALSE(check_memory_group({"gpus"}, {"gpus", "model"}).ok());
}

}  // namespace
}  // namespace flowline

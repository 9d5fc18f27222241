// The queue's positions and start estimates, on hand-made queues whose answers are worked
// out by hand.
#include "core/wait_estimate.hpp"

#include <gtest/gtest.h>

namespace flowline {
namespace {

constexpr Millis kNow = 100'000;

WaitReason slot() { return {WaitKind::kSlot, "waiting for a free slot"}; }

WaitReason memory(int64_t needs_mib, int64_t gpus = 1) {
  WaitReason w{WaitKind::kMemory, "waiting for memory", needs_mib, gpus};
  return w;
}

GpuSlot gpu(int index, int64_t usable_mib, bool enabled = true) {
  return GpuSlot{index, enabled, true, 24000, usable_mib};
}

RunDurations learned(std::initializer_list<std::pair<int64_t, Millis>> runs) {
  RunDurations d;
  for (auto [task, took] : runs) d.add(task, took);
  return d;
}

TEST(RunDurations, OwnRunsFirstThenTheMedianOfAll) {
  RunDurations d;
  EXPECT_FALSE(d.expected(1));
  d.add(1, 10'000);
  d.add(2, 30'000);
  d.add(2, 50'000);
  EXPECT_EQ(d.expected(1), 10'000);
  EXPECT_EQ(d.expected(2), 50'000);  // the upper median of its own two
  EXPECT_EQ(d.expected(9), 30'000);  // never run: the median of every run
}

// A task never run is guessed from its --mem-group's runs before everyone's: a grid's large
// models take longer than its small ones.
TEST(RunDurations, ThenItsGroupsRunsBeforeEveryones) {
  RunDurations d;
  d.add(1, 100'000, "size=large");
  d.add(2, 10'000, "size=small");
  d.add(3, 12'000, "size=small");
  d.add(4, 11'000);
  EXPECT_EQ(d.expected(9, "size=large"), 100'000);
  EXPECT_EQ(d.expected(9, "size=small"), 12'000);
  EXPECT_EQ(d.expected(9, "size=none"), 12'000);  // a group with no runs: every run's median
  EXPECT_EQ(d.expected(9), 12'000);
  EXPECT_EQ(d.expected(2, "size=small"), 10'000);  // its own runs first
}

TEST(RunDurations, KeepsOnlyATasksRecentRuns) {
  RunDurations d;
  for (int i = 0; i < 5; ++i) d.add(1, 1000);
  for (int i = 0; i < 5; ++i) d.add(1, 9000);
  EXPECT_EQ(d.expected(1), 9000);
}

// --max 1: one run of 60 s started 20 s ago; three tasks of 60 s each wait for the slot.
TEST(WaitEstimate, SlotsFreeInTurnUnderMax) {
  WaitInputs in;
  in.now = kNow;
  in.max_running = 1;
  in.running = {{1, kNow - 20'000, {0}, 1000}};
  in.queue = {{2, 1, slot()}, {3, 1, slot()}, {4, 1, slot()}};
  RunDurations d = learned({{1, 60'000}});
  auto out = estimate_waits(in, d);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].position, 1);
  EXPECT_EQ(out[1].position, 2);
  EXPECT_EQ(out[2].position, 3);
  EXPECT_EQ(out[0].expected_start_ms, kNow + 40'000);
  EXPECT_EQ(out[1].expected_start_ms, kNow + 100'000);
  EXPECT_EQ(out[2].expected_start_ms, kNow + 160'000);
}

// --max 2: the k-th slot to free goes to the k-th task; a task's own runs say how long it
// holds its slot.
TEST(WaitEstimate, TheKthSlotToFreeGoesToTheKthTask) {
  WaitInputs in;
  in.now = kNow;
  in.max_running = 2;
  in.running = {{1, kNow, {0}, 0}, {2, kNow, {1}, 0}};
  in.queue = {{3, 1, slot()}, {4, 1, slot()}, {5, 1, slot()}};
  RunDurations d = learned({{1, 10'000}, {2, 30'000}, {3, 50'000}, {4, 5'000}});
  auto out = estimate_waits(in, d);
  EXPECT_EQ(out[0].expected_start_ms, kNow + 10'000);  // task 1's slot
  EXPECT_EQ(out[1].expected_start_ms, kNow + 30'000);  // task 2's slot
  EXPECT_EQ(out[2].expected_start_ms, kNow + 35'000);  // task 4 ends 5 s after it started
}

TEST(WaitEstimate, ARunPastItsExpectedEndIsTakenToEndNow) {
  WaitInputs in;
  in.now = kNow;
  in.max_running = 1;
  in.running = {{1, kNow - 90'000, {0}, 0}};
  in.queue = {{2, 1, slot()}};
  auto out = estimate_waits(in, learned({{1, 60'000}}));
  EXPECT_EQ(out[0].expected_start_ms, kNow);
}

TEST(WaitEstimate, NothingLearnedMeansNoEstimateBehindARunningRun) {
  WaitInputs in;
  in.now = kNow;
  in.max_running = 1;
  in.running = {{1, kNow - 1000, {0}, 0}};
  in.queue = {{2, 1, slot()}, {3, 1, slot()}};
  auto out = estimate_waits(in, RunDurations{});
  EXPECT_EQ(out[0].position, 1);
  EXPECT_EQ(out[1].position, 2);
  EXPECT_FALSE(out[0].expected_start_ms);
  EXPECT_FALSE(out[1].expected_start_ms);
}

// A task that runs three more times holds three places: the next task is fourth.
TEST(WaitEstimate, ATasksOtherRunsGoFirst) {
  WaitInputs in;
  in.now = kNow;
  in.max_running = 1;
  in.running = {{1, kNow, {0}, 0}};
  in.queue = {{1, 3, slot()}, {2, 1, slot()}};
  auto out = estimate_waits(in, learned({{1, 10'000}}));
  EXPECT_EQ(out[1].position, 4);
  EXPECT_EQ(out[0].expected_start_ms, kNow + 10'000);
  EXPECT_EQ(out[1].expected_start_ms, kNow + 40'000);
}

// GPU 0 has 4000 MiB usable; the 20000 MiB task waits until both runs on GPU 0 have ended
// (each frees 8000), although the slot frees earlier; the small task behind it goes first.
TEST(WaitEstimate, MemoryWaitsForEnoughRunsOnAGpuToEnd) {
  WaitInputs in;
  in.now = kNow;
  in.max_running = 4;
  in.gpus = {gpu(0, 4000)};
  in.running = {{1, kNow, {0}, 8000}, {2, kNow, {0}, 8000}, {3, kNow, {0}, 0}};
  in.queue = {{4, 1, memory(20'000)}, {5, 1, memory(6000)}};
  auto out = estimate_waits(in, learned({{1, 10'000}, {2, 30'000}, {3, 5'000}}));
  EXPECT_EQ(out[0].position, 1);
  EXPECT_EQ(out[1].position, 2);
  EXPECT_EQ(out[0].expected_start_ms, kNow + 30'000);
  EXPECT_EQ(out[1].expected_start_ms, kNow + 10'000);
}

TEST(WaitEstimate, MemoryOnASwitchedOffGpuDoesNotCount) {
  WaitInputs in;
  in.now = kNow;
  in.max_running = 4;
  in.gpus = {gpu(0, 0, false), gpu(1, 1000)};
  in.running = {{1, kNow, {0}, 20'000}};
  in.queue = {{2, 1, memory(10'000)}};
  auto out = estimate_waits(in, learned({{1, 10'000}}));
  EXPECT_FALSE(out[0].expected_start_ms);
}

TEST(WaitEstimate, ABackoffStartsNoEarlierThanItsEnd) {
  WaitInputs in;
  in.now = kNow;
  in.max_running = 2;
  WaitReason backoff{WaitKind::kBackoff, "backing off"};
  backoff.until_ms = kNow + 7000;
  in.queue = {{1, 1, backoff}, {2, 1, WaitReason{}}};
  auto out = estimate_waits(in, RunDurations{});
  EXPECT_EQ(out[0].expected_start_ms, kNow + 7000);
  EXPECT_EQ(out[1].expected_start_ms, kNow);  // a slot is free and nothing holds it
}

TEST(WaitEstimate, WaitsOnlyTheUserEndsHaveNoEstimate) {
  WaitInputs in;
  in.now = kNow;
  in.max_running = 2;
  in.queue = {{1, 1, WaitReason{WaitKind::kStopped, "dispatch is stopped"}},
              {2, 1, WaitReason{WaitKind::kGpusOff, "waiting for 2 enabled GPUs"}}};
  auto out = estimate_waits(in, learned({{1, 1000}}));
  EXPECT_EQ(out[0].position, 1);
  EXPECT_EQ(out[1].position, 2);
  EXPECT_FALSE(out[0].expected_start_ms);
  EXPECT_FALSE(out[1].expected_start_ms);
}

}  // namespace
}  // namespace flowline

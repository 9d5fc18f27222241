// A waiting task in a few words (`task`, `status`) and as JSON (`task --json`, the API).
#include <gtest/gtest.h>

#include "front/json/engine_json.hpp"
#include "front/shell/wait_text.hpp"

namespace flowline {
namespace {

constexpr Millis kNow = 1'000'000;

TaskView waiting(WaitReason wait, std::optional<int64_t> position,
                 std::optional<Millis> start) {
  TaskView v;
  v.task = std::make_shared<const Task>();
  v.state = TaskState::kQueued;
  v.wait = std::move(wait);
  v.queue_position = position;
  v.expected_start_ms = start;
  return v;
}

TEST(WaitText, PlaceReasonAndStartInAFewWords) {
  WaitReason slot{WaitKind::kSlot, "waiting for a free slot (--max 2)"};
  slot.max_running = 2;
  EXPECT_EQ(shell::wait_summary(waiting(slot, 3, kNow + 240'000), kNow),
            "#3, slot (--max 2), ~4m0s");
  EXPECT_EQ(shell::wait_summary(waiting(slot, 1, std::nullopt), kNow),
            "#1, slot (--max 2), unknown");
  // An estimate already passed (a run overran) is "now", never a time in the past.
  EXPECT_EQ(shell::wait_summary(waiting(slot, 1, kNow - 5000), kNow), "#1, slot (--max 2), now");
}

TEST(WaitText, MemoryBackoffAndInfeasible) {
  WaitReason memory{WaitKind::kMemory, "waiting for 8000 MiB", 8000, 1, 3000};
  EXPECT_EQ(shell::wait_summary(waiting(memory, 2, std::nullopt), kNow),
            "#2, memory (needs 8000 MiB, best 3000), unknown");
  WaitReason backoff{WaitKind::kBackoff, "backing off"};
  backoff.until_ms = kNow + 12'000;
  backoff.after_oom = true;
  TaskView b = waiting(backoff, 1, kNow + 12'000);
  b.state = TaskState::kBackoff;
  EXPECT_EQ(shell::wait_summary(b, kNow), "#1, backoff 12s left (after OOM), ~12s");
  TaskView never = waiting({WaitKind::kInfeasible, "needs 3 GPUs, this machine has 2"},
                           std::nullopt, std::nullopt);
  never.state = TaskState::kInfeasible;
  EXPECT_EQ(shell::wait_summary(never, kNow), "never fits: needs 3 GPUs, this machine has 2");
  TaskView running = waiting(WaitReason{}, std::nullopt, std::nullopt);
  running.state = TaskState::kRunning;
  EXPECT_EQ(shell::wait_summary(running, kNow), "");
}

TEST(WaitJson, KindTextAndTheNumbersOfItsKind) {
  WaitReason memory{WaitKind::kMemory, "waiting for 8000 MiB", 8000, 2, 3000};
  const nlohmann::json task = json::task(waiting(memory, 2, kNow - 1), kNow);
  EXPECT_EQ(task["queue_position"], 2);
  EXPECT_EQ(task["expected_start_ms"], kNow);
  EXPECT_EQ(task["wait"]["kind"], "memory");
  EXPECT_EQ(task["wait"]["needs_mib"], 8000);
  EXPECT_EQ(task["wait"]["gpus"], 2);
  EXPECT_EQ(task["wait"]["best_usable_mib"], 3000);
  WaitReason backoff{WaitKind::kBackoff, "backing off"};
  backoff.until_ms = kNow + 10;
  EXPECT_EQ(json::wait(backoff)["until_ms"], kNow + 10);
  TaskView done = waiting(WaitReason{}, std::nullopt, std::nullopt);
  done.state = TaskState::kDone;
  EXPECT_TRUE(json::task(done, kNow)["wait"].is_null());
  EXPECT_TRUE(json::task(done, kNow)["expected_start_ms"].is_null());
}

}  // namespace
}  // namespace flowline

// What front ends say holds a task: the last decision's reason, or what its state tells.
#include "core/task_wait.hpp"

#include <gtest/gtest.h>

namespace flowline {
namespace {

TaskProgress progress() {
  TaskProgress p;
  p.task = std::make_shared<const Task>();
  return p;
}

TEST(TaskWait, ABackoffSaysUntilWhenAndAfterWhat) {
  TaskProgress p = progress();
  p.not_before = 5000;
  p.oom_requeues = 1;
  WaitReason w = current_wait(p, TaskState::kBackoff, SchedulerSettings{});
  EXPECT_EQ(w.kind, WaitKind::kBackoff);
  EXPECT_EQ(w.until_ms, 5000);
  EXPECT_TRUE(w.after_oom);
  p.oom_requeues = 0;
  p.failures = 1;
  w = current_wait(p, TaskState::kBackoff, SchedulerSettings{});
  EXPECT_FALSE(w.after_oom);
  EXPECT_NE(w.text.find("failure"), std::string::npos) << w.text;
}

TEST(TaskWait, StoppedDispatchHoldsEveryQueuedTask) {
  TaskProgress p = progress();
  p.wait = WaitReason{WaitKind::kSlot, "waiting for a free slot (--max 1)"};
  SchedulerSettings s;
  EXPECT_EQ(current_wait(p, TaskState::kQueued, s)->kind, WaitKind::kSlot);
  s.dispatching = false;
  EXPECT_EQ(current_wait(p, TaskState::kQueued, s)->kind, WaitKind::kStopped);
}

TEST(TaskWait, AnInfeasibleReasonNoLongerHoldsAQueuedTask) {
  TaskProgress p = progress();
  p.wait = WaitReason{WaitKind::kInfeasible, "needs 30000 MiB"};
  EXPECT_EQ(current_wait(p, TaskState::kInfeasible, SchedulerSettings{})->text, "needs 30000 MiB");
  EXPECT_EQ(current_wait(p, TaskState::kQueued, SchedulerSettings{})->kind, WaitKind::kNone);
}

}  // namespace
}  // namespace flowline

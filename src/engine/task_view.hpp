#pragma once
// One task as front ends see it: the scheduler's task (shared, not copied) and its state.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/scheduler.hpp"
#include "core/shared_value.hpp"
#include "core/task.hpp"
#include "core/wait_reason.hpp"

namespace flowline {

struct TaskView {
  std::shared_ptr<const Task> task;  // the scheduler's own, shared: never copied to publish
  TaskState state = TaskState::kQueued;
  int64_t live_runs = 0;
  int64_t failures = 0;
  SharedText last_error;
  std::optional<int64_t> peak_mem_mib;  // the most any of its runs used on one GPU
  int64_t min_mem_mib = 0;              // what its next run asks for on each GPU
  bool min_mem_raised = false;          // …raised above min_mem after out-of-memory deaths
  int32_t min_mem_margin_percent = 0;   // learned (runs, group): the margin on the peak
  // Where min_mem_mib came from: its runs, its group, its min_mem, the global setting, or
  // raised after out-of-memory (core/learned_memory.hpp); mem_group names the group.
  MemSource min_mem_source = MemSource::kGlobal;
  SharedText mem_group;
  // Waiting (queued, backoff, infeasible): what holds it, its place in the queue (1 = next to
  // start) and when it may start. The estimate is a time, not a delay, so that views cached
  // across snapshots stay true: readers show it against the snapshot's time
  // (expected_start_after below).
  // Shared with the scheduler and with every task waiting for the same thing.
  Shared<WaitReason> wait;
  std::optional<int64_t> queue_position;
  std::optional<Millis> expected_start_ms;

  // Why it is not running now, for `ls` and the API's waiting_for; "" when nothing holds it.
  const std::string& waiting_for() const { return wait->text; }
};

// The estimated start as seen at `now`: never in the past (a run that overruns its expected
// end makes the next task's start "any moment now").
inline std::optional<Millis> expected_start_after(const TaskView& t, Millis now) {
  if (!t.expected_start_ms) return std::nullopt;
  return std::max(*t.expected_start_ms, now);
}

}  // namespace flowline

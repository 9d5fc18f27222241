#pragma once
// One task as front ends see it: the scheduler's task (shared, not copied) and its state.
#include <cstdint>
#include <memory>
#include <string>

#include "core/scheduler.hpp"
#include "core/task.hpp"

namespace flowline {

struct TaskView {
  std::shared_ptr<const Task> task;  // the scheduler's own, shared: never copied to publish
  TaskState state = TaskState::kQueued;
  int64_t live_runs = 0;
  int64_t failures = 0;
  std::string waiting_for;
  std::string last_error;
};

}  // namespace flowline

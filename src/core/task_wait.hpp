#pragma once
// What holds a task back right now, as front ends show it: the reason the last decision
// recorded, or what its state says by itself (a backoff, dispatch stopped). Pure: the state
// is computed by the caller at the time of its choosing.
#include "core/scheduler.hpp"
#include "core/wait_reason.hpp"

namespace flowline {

Shared<WaitReason> current_wait(const TaskProgress& p, TaskState state, const SchedulerSettings& s);

}  // namespace flowline

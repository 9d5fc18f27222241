#include "core/task_wait.hpp"

namespace flowline {
namespace {

WaitReason backoff_of(const TaskProgress& p) {
  WaitReason w;
  w.kind = WaitKind::kBackoff;
  w.until_ms = p.not_before;
  w.after_oom = p.oom_requeues > 0;
  w.text = w.after_oom ? "backing off after running out of GPU memory"
                       : "backing off after a failure (" + std::to_string(p.failures) +
                             (p.failures == 1 ? " failure" : " failures") + " so far)";
  return w;
}

// Shared by every task while dispatch is stopped.
const Shared<WaitReason>& stopped() {
  static const Shared<WaitReason> reason(WaitReason{WaitKind::kStopped, "dispatch is stopped"});
  return reason;
}

}  // namespace

Shared<WaitReason> current_wait(const TaskProgress& p, TaskState state,
                                const SchedulerSettings& s) {
  switch (state) {
    case TaskState::kInfeasible:
      if (p.wait->kind == WaitKind::kInfeasible) return p.wait;
      return WaitReason{WaitKind::kInfeasible, p.wait->text};
    case TaskState::kBackoff:
      return backoff_of(p);
    case TaskState::kQueued:
    case TaskState::kRunning:  // with more runs to start, they wait like a queued task's
      if (!s.dispatching) return stopped();
      // A reason from before the task changed (a new min_mem that fits) no longer holds.
      if (p.wait->kind == WaitKind::kInfeasible) return {};
      return p.wait;
    case TaskState::kDone:
    case TaskState::kFailed:
    case TaskState::kDropped:
      return {};
  }
  return {};
}

}  // namespace flowline

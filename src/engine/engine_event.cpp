#include "engine/engine_event.hpp"

#include <array>

namespace flowline {
namespace {

constexpr std::array<std::string_view, static_cast<size_t>(kLastEventKind) + 1> kNames = {
    "started",      "finished",     "failed",     "oom",     "requeued",
    "lost",         "task_added",   "task_changed", "task_dropped", "gpu_sample",
    "setting",      "all_done",     "notice"};

}  // namespace

std::string_view event_kind_name(EventKind kind) { return kNames[static_cast<size_t>(kind)]; }

std::optional<EventKind> event_kind_from_name(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<EventKind>(i);
  return std::nullopt;
}

EventKind event_kind_of(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::kSucceeded: return EventKind::kRunFinished;
    case RunOutcome::kOutOfMemory: return EventKind::kRunOom;
    case RunOutcome::kFailed:
    case RunOutcome::kTimedOut: return EventKind::kRunFailed;
    case RunOutcome::kKilled: return EventKind::kRunRequeued;
    case RunOutcome::kLost: return EventKind::kRunLost;
  }
  return EventKind::kNotice;
}

bool EngineEvent::for_terminal() const {
  switch (kind) {
    case EventKind::kRunStarted:
    case EventKind::kTaskAdded:
    case EventKind::kTaskChanged:
    case EventKind::kGpuSample:
    case EventKind::kSettingChanged:
      return false;
    case EventKind::kTaskDropped:
      return false;  // the table-changed notice or the command's answer says it
    default:
      return true;
  }
}

}  // namespace flowline

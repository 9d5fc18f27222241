#pragma once
// What the engine tells its listeners (the shell, `serve`'s log, the HTTP event stream, hooks):
// one typed event per thing that happened, with a neutral sentence for people. Each front end
// picks the kinds it shows and adds its own words.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/run_outcome.hpp"

namespace flowline {

enum class EventKind {
  kRunStarted,
  kRunFinished,   // exit 0
  kRunFailed,     // a failure that used up one of the task's retries (or timed out)
  kRunOom,        // out of GPU memory: requeued with more memory
  kRunRequeued,   // stopped by the user (`kill`): requeued
  kRunLost,       // how it ended could not be learned: requeued
  kTaskAdded,     // a row new in the table
  kTaskChanged,   // a row whose run columns changed, or a task retried
  kTaskDropped,   // dropped by the user, or its row left the table
  kGpuSample,     // a new GPU sample (not for people: the web page's charts)
  kSettingChanged,
  kAllDone,       // every task done (or failed): the sweep is over
  kNotice,        // anything else worth telling (table unreadable, store errors, recovery)
};

// "started", "finished", "failed", "oom", "requeued", "lost", "task_added", "task_changed",
// "task_dropped", "gpu_sample", "setting", "all_done", "notice": the names of --on-event-kinds
// and of the event stream's `event:` field.
std::string_view event_kind_name(EventKind kind);
std::optional<EventKind> event_kind_from_name(std::string_view name);
inline constexpr EventKind kLastEventKind = EventKind::kNotice;

// The event a run's end is told as.
EventKind event_kind_of(RunOutcome outcome);

struct EngineEvent {
  EventKind kind = EventKind::kNotice;
  uint64_t seq = 0;   // 1, 2, … in the order the engine published them (this process)
  Millis time_ms = 0;
  std::optional<int64_t> task_id;
  std::optional<int64_t> run_id;
  std::string task_name;
  std::string text;  // for people: "run 7 of task 3 (lr=0.1) succeeded"

  // Kinds a terminal shows; the others are for programs (samples, per-task table diffs,
  // starts, which a progress line already shows) or are the answer to the user's own command.
  bool for_terminal() const;
};

}  // namespace flowline

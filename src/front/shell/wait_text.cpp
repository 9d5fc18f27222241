#include "front/shell/wait_text.hpp"

#include "front/cli/progress_line.hpp"

namespace flowline::shell {
namespace {

std::string reason_words(const TaskView& t, Millis now) {
  const WaitReason& w = t.wait;
  switch (w.kind) {
    case WaitKind::kNone: return t.waiting_for().empty() ? "starting" : t.waiting_for();
    case WaitKind::kMemory:
      return "memory (needs " + std::to_string(w.needs_mib) + " MiB" +
             (w.gpus > 1 ? " x" + std::to_string(w.gpus) : "") + ", best " +
             (w.best_usable_mib >= 0 ? std::to_string(w.best_usable_mib) : "?") + ")";
    case WaitKind::kSlot: return "slot (--max " + std::to_string(w.max_running) + ")";
    case WaitKind::kBackoff:
      return "backoff " + cli::format_duration(w.until_ms > now ? w.until_ms - now : 0) +
             " left" + (w.after_oom ? " (after OOM)" : " (after failure)");
    case WaitKind::kGpusOff:
      return "GPUs off (needs " + std::to_string(w.gpus) + ", " + std::to_string(w.gpus_on) +
             " on)";
    case WaitKind::kInfeasible: return "never fits: " + w.text;
    case WaitKind::kStopped: return "dispatch stopped";
    case WaitKind::kBuilding: return "building its command";
  }
  return w.text;
}

bool waits(TaskState s) {
  return s == TaskState::kQueued || s == TaskState::kBackoff || s == TaskState::kInfeasible;
}

}  // namespace

std::string expected_start_text(const TaskView& t, Millis now) {
  std::optional<Millis> at = expected_start_after(t, now);
  if (!at) return "unknown";
  if (*at - now < 1000) return "now";
  return "~" + cli::format_duration(*at - now);
}

std::string wait_summary(const TaskView& t, Millis now) {
  if (!waits(t.state)) return "";
  std::string out;
  if (t.queue_position) out = "#" + std::to_string(*t.queue_position) + ", ";
  out += reason_words(t, now);
  // Outside the queue (a view without a place in it) there is no estimate to speak of.
  if (t.state != TaskState::kInfeasible && t.queue_position)
    out += ", " + expected_start_text(t, now);
  return out;
}

}  // namespace flowline::shell

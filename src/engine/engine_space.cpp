// A full disk pauses dispatch instead of failing the queue (issue 14): a launch that fails
// while the state or log directory has no room is the machine's fault, so no task is charged;
// the engine looks again every few seconds and resumes by itself. So does an executor that
// cannot start anything now (Slurm's controller down, issue 15).
#include "engine/engine.hpp"

namespace flowline {
namespace {

constexpr Millis kSpaceRecheckMs = 5000;

}  // namespace

std::optional<std::string> Engine::launch_blocker() {
  if (parts_.space) {
    if (std::optional<std::string> short_of = parts_.space->shortage()) {
      blocked_by_executor_ = false;
      return short_of;
    }
  }
  std::optional<std::string> unavailable = parts_.executor->unavailable();
  if (unavailable) blocked_by_executor_ = true;  // else: what paused it is said as it was
  return unavailable;
}

bool Engine::paused_for_space(Millis now) {
  std::optional<std::string> why = launch_blocker();
  if (!why) return false;
  space_recheck_ms_ = now + kSpaceRecheckMs;
  if (space_pause_.empty())
    say("dispatch paused: " + *why + "; no task is charged for it, and dispatch resumes by "
        "itself when that is over (checked every " + std::to_string(kSpaceRecheckMs / 1000) +
        " s)");
  space_pause_ = *why;
  publish_pending_ = true;
  return true;
}

bool Engine::space_still_short(Millis now) {
  if (space_pause_.empty()) return false;
  if (now < space_recheck_ms_) return true;
  std::optional<std::string> why = launch_blocker();
  if (why) {
    space_pause_ = *why;
    space_recheck_ms_ = now + kSpaceRecheckMs;
    return true;
  }
  if (blocked_by_executor_)
    say("the " + parts_.executor->kind() + " executor works again: dispatch resumes");
  else
    say("space is back (" + space_pause_ + " no longer): dispatch resumes");
  space_pause_.clear();
  publish_pending_ = true;
  return false;
}

}  // namespace flowline

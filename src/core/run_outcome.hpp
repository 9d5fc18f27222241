#pragma once
// How a run ended, in the terms of the failure policy (DESIGN.md §3).
#include <string_view>

namespace flowline {

enum class RunOutcome {
  kSucceeded,    // exit 0: run_num + 1
  kOutOfMemory,  // GPU OOM in its output: requeued with backoff, retries untouched
  kFailed,       // any other failure: counts against --retries
  kTimedOut,     // ran past its timeout: counts against --retries
  kKilled,       // stopped by the user (`kill`): requeued, retries untouched
  kLost,         // FlowLine could not learn how it ended: requeued, retries untouched
};

constexpr std::string_view outcome_name(RunOutcome o) {
  switch (o) {
    case RunOutcome::kSucceeded: return "succeeded";
    case RunOutcome::kOutOfMemory: return "oom";
    case RunOutcome::kFailed: return "failed";
    case RunOutcome::kTimedOut: return "timeout";
    case RunOutcome::kKilled: return "killed";
    case RunOutcome::kLost: return "lost";
  }
  return "unknown";
}

}  // namespace flowline

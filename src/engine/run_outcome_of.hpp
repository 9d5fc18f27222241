#pragma once
// Reads how a run ended (its exit record and the tail of its output) as a RunOutcome.
#include <string>

#include "core/run_outcome.hpp"
#include "exec/executor.hpp"

namespace flowline {

struct ClassifiedExit {
  RunOutcome outcome = RunOutcome::kFailed;
  std::string message;  // for the user: "exit 3: ValueError: …", "GPU out of memory: …"
};

// `killed_by_user`: FlowLine stopped it on the user's request (`kill`, `killgpu`).
ClassifiedExit classify_exit(const RunExit& exit, bool killed_by_user,
                             const std::string& out_path, const std::string& err_path);

}  // namespace flowline

#pragma once
// Runs one `--on-event` hook: /bin/sh -c PROGRAM in a process group of its own, one event's
// JSON on stdin, stdout thrown away (it must not land in the shell's terminal or the service's
// log), the first line of stderr kept for the report. Past its time limit the whole group gets
// SIGTERM and, after a grace period, SIGKILL: unlike run_bounded (exec/bounded_command), which
// kills at once, a hook may be half-way through telling someone and gets a chance to finish
// cleanly. Nothing of it is left behind: the group is killed and the shell reaped.
//
// Call it from a thread that blocks SIGPIPE (EventHooks' worker does): a hook that exits
// without reading its stdin must give EPIPE, not a signal that ends FlowLine.
#include <chrono>
#include <string>

#include "core/result.hpp"

namespace flowline::events {

struct HookCommand {
  std::string shell_command;  // run as /bin/sh -c SHELL_COMMAND, in this process's directory
  std::string input;          // written to stdin, which is then closed
  std::chrono::milliseconds time_limit{10000};
  std::chrono::milliseconds grace{2000};  // between SIGTERM and SIGKILL
  int cancel_fd = -1;  // when readable: stop it now, the same way (FlowLine is exiting)
};

struct HookOutcome {
  int exit_code = -1;            // -1 when it did not exit by itself
  int signal = 0;                // the signal that ended it, if any
  bool timed_out = false;        // stopped at the time limit
  bool cancelled = false;        // stopped because cancel_fd became readable
  std::string first_error_line;  // the first non-blank line of its stderr, without the newline

  bool succeeded() const { return exit_code == 0 && !timed_out && !cancelled; }
};

// An Error only when the hook could not be started at all.
Result<HookOutcome> run_hook(const HookCommand& command);

}  // namespace flowline::events

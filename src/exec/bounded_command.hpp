#pragma once
// Runs a short helper program to completion — input on its stdin, output captured — within a
// time limit. Used for `--cmd-builder`. Safe from any thread of a multi-threaded process
// (posix_spawn, close-on-exec pipes, poll, a pidfd), and it never leaves the helper behind: on
// timeout or runaway output its whole process group is killed and reaped, and so is any
// process of it that left the group (setsid), found by its tag (helper_tag.hpp).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace flowline {

struct BoundedCommand {
  std::string shell_command;    // run as /bin/sh -c SHELL_COMMAND
  std::string cwd;              // "" = this process's
  std::string input;            // written to stdin, which is then closed
  int64_t timeout_ms = 10000;   // for the whole exchange
  size_t max_output = 1 << 20;  // more stdout than this is refused
  size_t max_error = 16 << 10;  // only the last this many bytes of stderr are kept
  int cancel_fd = -1;           // when readable: give up at once (FlowLine is stopping)
};

struct BoundedOutcome {
  int exit_code = -1;             // -1 when it did not exit by itself
  int signal = 0;                 // the signal that ended it, if any
  bool timed_out = false;         // killed at the time limit
  bool output_too_large = false;  // killed for printing more than max_output
  bool cancelled = false;         // killed because cancel_fd became readable
  std::string out;
  std::string err;  // its tail

  bool succeeded() const {
    return exit_code == 0 && !timed_out && !output_too_large && !cancelled;
  }
};

// An Error only when the program could not be started at all.
Result<BoundedOutcome> run_bounded(const BoundedCommand& command);

}  // namespace flowline

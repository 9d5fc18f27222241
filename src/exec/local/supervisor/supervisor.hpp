#pragma once
// flowline-supervise: the small parent of one run. It lives in a session of its own, is a child
// subreaper (orphaned descendants come back to it), starts `/bin/sh -c COMMAND` in a process
// group of its own, enforces the timeout, stops the whole tree on SIGTERM, leaves no descendant
// behind, and records how the command ended in its slot of the runs' slot file
// (slot_file.hpp; RUN_DIR/exit when started by hand) — so the run outlives FlowLine.
//
// The supervisor server starts one per run as a process that shares the server's memory
// (spawn_server.hpp), so `supervise` may not touch the heap, stdio or any global it does not
// own: everything it reads is in its RunRequest, everything it writes is on its own stack.
#include <cstdint>
#include <optional>
#include <string>

namespace flowline::supervisor {

// What one supervisor needs, in memory that stays valid and unchanged while it runs.
struct RunRequest {
  // Where the records go: slot `slot` of the slot file `records` (held by run `run_id`), or,
  // with slot -1 (started by hand), the files of the directory `run_dir`.
  const char* records = nullptr;
  int64_t slot = -1;
  int64_t run_id = 0;
  const char* run_dir = nullptr;
  const char* command = nullptr;
  char* const* envp = nullptr;  // the command's whole environment
  int64_t timeout_ms = -1;      // -1: none
  int64_t grace_ms = 5000;      // between SIGTERM and SIGKILL
  bool durable = false;         // fsync the exit record (survives power loss)
  // The most each log (stdout, stderr) may hold; the rest is dropped (capped_log.hpp). 0: no
  // cap, the command writes straight into the files.
  int64_t log_limit = 0;
  // Set when the command cannot even be tried (its working directory is gone): the exit
  // record then says 127, as a shell would, and this reason goes to the run's stderr.
  const char* cannot_start = nullptr;
};

// `flowline-supervise --run-dir DIR [--timeout-ms N] [--grace-ms N] [--log-limit BYTES]
// [--durable] -- COMMAND`,
// the form for starting one by hand (its own process, so strings are fine here).
struct Options {
  std::string run_dir;
  std::string command;
  std::optional<int64_t> timeout_ms;
  int64_t grace_ms = 5000;
  int64_t log_limit = 0;
  bool durable = false;
};

// On failure returns nullopt and sets `error`.
std::optional<Options> parse_args(int argc, char** argv, std::string& error);

// Sets every signal's disposition to the default, as the command must get them. Needed only
// when started by hand: FlowLine's supervisor server starts with defaults and sets none.
void reset_signal_dispositions();

// Runs the command to its end; returns the supervisor's exit status (0 when the exit record
// was written, whatever the command's own status). Allocates nothing.
int supervise(const RunRequest& request);

}  // namespace flowline::supervisor

#pragma once
// The part of `flowline run` after its engine stack is built, shared by the command line and
// the C++ API's run_cli(): signals, progress, recovery, the loop and the summary.
#include <signal.h>

#include "front/app/engine_stack.hpp"
#include "front/cli/run_options.hpp"

namespace flowline {

// SIGINT and SIGTERM are taken by one watcher thread, so the engine only ever sees
// request_stop; SIGHUP (an SSH session dropping) and SIGPIPE are ignored. Create one before
// anything starts a thread (build_engine_stack does) so every thread inherits the mask; the
// destructor puts the old mask and handlers back, for a program that embeds FlowLine.
// Interactive runs leave SIGINT to the shell: Ctrl-C at the prompt never kills runs.
class SignalScope {
 public:
  explicit SignalScope(bool interactive);
  ~SignalScope();
  SignalScope(const SignalScope&) = delete;
  SignalScope& operator=(const SignalScope&) = delete;

 private:
  sigset_t old_mask_;
  struct sigaction old_hup_;
  struct sigaction old_pipe_;
};

// Prints the stack's notes, recovers, runs the engine with progress on stderr and prints the
// summary. `who` prefixes errors ("flowline run"). Returns the exit status (0 every task done,
// 1 some failed or cannot run, 2 recovery refused, 130 stopped by a signal).
// With options.interactive the shell owns the terminal while the engine loops on a thread.
int run_engine(EngineStack& stack, const cli::RunOptions& options, const char* who);

}  // namespace flowline

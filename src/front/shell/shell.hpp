#pragma once
// The interactive prompt of `flowline run` on a terminal: the original's commands with line
// editing (GNU readline), history across sessions, tab completion of commands and ids, and
// engine messages printed above the line being typed without disturbing it.
#include <cstddef>
#include <string>

#include "engine/engine_api.hpp"

namespace flowline::shell {

struct ShellOptions {
  std::string state_dir = ".flowline";  // history lives in <state_dir>/history
  bool colour = false;                  // the caller decides: colour_wanted(STDOUT_FILENO)
  std::string prompt = "flowline> ";
  // When this descriptor becomes readable the shell returns at once (the engine was stopped
  // some other way, e.g. `flowline ctl stop`). -1 = none.
  int stop_fd = -1;
  size_t history_size = 1000;
};

// Runs the prompt on stdin/stdout until the user leaves (`exit`, Ctrl-D, `stop`), the terminal
// hangs up, or stop_fd fires. Leaving calls engine.request_stop with the user's choice about
// live runs; a hang-up leaves runs running (never kill experiments because SSH dropped).
// Readline's state is global: run one shell at a time. Returns 0.
int run_shell(EngineApi& engine, const ShellOptions& options);

}  // namespace flowline::shell

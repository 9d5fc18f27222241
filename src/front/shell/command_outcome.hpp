#pragma once
// What one shell command produced. The interactive shell and the ctl server print `text` the
// same way; the follow-ups are things only the shell's own loop can do.
#include <optional>
#include <string>

#include "engine/snapshot.hpp"

namespace flowline::shell {

// Where the command came from: some commands only make sense at the interactive prompt.
enum class Surface { kShell, kCtl };

struct Presentation {
  size_t width = 0;     // terminal columns; 0 = no limit
  bool colour = false;  // ANSI colour (the caller decided: terminal and no NO_COLOR)
};

enum class FollowUp {
  kNone,
  kAskExit,     // `exit`: the shell asks what to do with live runs
  kStopped,     // `stop`: the engine was asked to stop; the shell returns
  kFollowLogs,  // `logs -f`: the shell follows the run's files until Ctrl-C
};

struct CommandOutcome {
  bool ok = true;
  std::string text;  // ends with a newline unless empty
  FollowUp follow_up = FollowUp::kNone;
  std::optional<RunView> run;  // the run to follow, for kFollowLogs
};

}  // namespace flowline::shell

#pragma once
// The shell's commands: names, right forms and help text, shared by `help`, the usage lines
// of refused commands and tab completion, so the three never disagree.
#include <string>
#include <vector>

namespace flowline::shell {

// What a command's arguments are, so completion can offer the right ids.
enum class ArgumentKind { kNone, kRunId, kTaskId, kGpuId, kCommandName, kOrderKeys, kNumber };

struct CommandSpec {
  const char* name;
  const char* usage;    // the right form, e.g. "kill <run id>  (run ids: see ls)"
  const char* summary;  // one line for `help`
  const char* details;  // `help <name>`: meaning, options, --json keys
  ArgumentKind argument = ArgumentKind::kNone;
  bool has_json = false;  // takes --json
};

const std::vector<CommandSpec>& command_specs();
const CommandSpec* find_command(const std::string& name);  // nullptr when unknown

}  // namespace flowline::shell

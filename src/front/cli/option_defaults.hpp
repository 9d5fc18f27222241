#pragma once
// Defaults that stay (issue 16): option values kept in files instead of typed every time.
//   $XDG_CONFIG_HOME/flowline/config (~/.config/flowline/config)   the user's defaults
//   flowline.conf beside the table                                  the project's, over them
// Each line is `option = value` with an option's long name ("max = 8", "order = free_memory
// desc", "pack = true"); `#` starts a comment. The command line wins over both. Settings a
// session saved (the shell's `max 8`) win over the files: the files hold defaults only.
#include <string>
#include <vector>

#include "core/result.hpp"
#include "front/cli/commands.hpp"
#include "front/cli/run_options.hpp"

namespace flowline::cli {

// One setting from a file, as an option would give it.
struct OptionDefault {
  std::string file;
  int line = 0;
  std::string option;  // "--max"
  std::string value;   // "" for a flag set to true
  bool flag = false;
};

// Where the files are for `table` (the user's file whether or not it exists).
std::vector<std::string> option_default_files(const std::string& table);

// The settings in `files` that exist, in order. A line that is not `option = value`, an option
// `command` does not know, or a value it refuses is an error naming FILE:LINE.
Result<std::vector<OptionDefault>> read_option_defaults(const std::vector<std::string>& files,
                                                        const char* command);

// parse_run_options() over the files' settings, then the command line's. Only the command line
// counts as given (RunOptions::max_given and the like).
Result<RunOptions> parse_run_options_with_defaults(const Args& args, const char* command);

}  // namespace flowline::cli

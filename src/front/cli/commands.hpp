#pragma once
// The `flowline` subcommands. Each lives in its own <name>_command.cpp.
#include <string>
#include <vector>

namespace flowline::cli {

using Args = std::vector<std::string>;  // arguments after the subcommand name

// Exit statuses shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;     // the work ran but did not succeed
inline constexpr int kExitBadInput = 2;   // invalid table, template or option
inline constexpr int kExitNoInstance = 3; // `ctl`: nothing running

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const Args& args);
};

const std::vector<Command>& all_commands();
int dispatch(int argc, char** argv);

}  // namespace flowline::cli

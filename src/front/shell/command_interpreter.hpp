#pragma once
// Parses and executes one shell command against the engine. The interactive shell and the ctl
// server both use it, so `flowline ctl ls` prints exactly what `ls` prints at the prompt.
#include <string>
#include <vector>

#include "engine/engine_api.hpp"
#include "front/shell/command_outcome.hpp"

namespace flowline::shell {

class CommandInterpreter {
 public:
  CommandInterpreter(EngineApi& engine, Surface surface) : engine_(engine), surface_(surface) {}

  CommandOutcome execute_line(const std::string& line, const Presentation& how);
  CommandOutcome execute(const std::vector<std::string>& argv, const Presentation& how);

 private:
  using Argv = std::vector<std::string>;
  CommandOutcome run_toggle(const Argv& args);
  CommandOutcome gpu_command(const std::string& name, const Argv& args);
  CommandOutcome kill_run(const Argv& args);
  CommandOutcome number_setting(const std::string& name, const Argv& args);
  CommandOutcome task_command(const std::string& name, const Argv& args);
  CommandOutcome table_command(const std::string& name, const Argv& args);
  CommandOutcome order(const Argv& args);
  CommandOutcome logs(const Argv& args);
  CommandOutcome listing(const std::string& name, const Argv& args, const Presentation& how);
  CommandOutcome exit_command(const Argv& args);
  CommandOutcome stop_command(const Argv& args);
  CommandOutcome help(const Argv& args) const;

  EngineApi& engine_;
  Surface surface_;
};

// Splits a command line into words at white space; quotes keep spaces in a word.
std::vector<std::string> split_words(const std::string& line);

}  // namespace flowline::shell

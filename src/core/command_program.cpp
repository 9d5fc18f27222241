#include "core/command_program.hpp"

namespace flowline {

std::optional<std::string> missing_program(std::string_view command) {
  const size_t start = command.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return std::string("the command is empty");
  if (command[start] != '-') return std::nullopt;
  std::string_view word = command.substr(start);
  word = word.substr(0, word.find_first_of(" \t\r\n"));
  if (word.size() > 40) word = word.substr(0, 40);
  return "the command starts with '" + std::string(word) + "', an option, not a program";
}

MissingPrograms find_missing_programs(const std::vector<Task>& tasks, const CommandTemplate& t) {
  MissingPrograms missing;
  std::vector<int> gpus;
  for (const Task& task : tasks) {
    if (task.remaining_runs() == 0) continue;
    gpus.clear();
    for (int64_t g = 0; g < task.gpus; ++g) gpus.push_back(static_cast<int>(g));
    std::string command = t.expand(task, gpus, task.run_num + 1);
    std::optional<std::string> why = missing_program(command);
    if (!why) continue;
    if (missing.count++ == 0) {
      missing.first_id = task.id;
      missing.first_name = task.name;
      missing.first_command = std::move(command);
      missing.why = std::move(*why);
    }
  }
  return missing;
}

std::string missing_programs_text(const MissingPrograms& missing, size_t total) {
  std::string text = std::to_string(missing.count) + " of " + std::to_string(total) + " task";
  text += total == 1 ? " has" : "s have";
  text += " no program in their command: task " + std::to_string(missing.first_id) + " (" +
          missing.first_name + ") would run `" + missing.first_command + "` (" + missing.why +
          "); ";
  text += kMissingProgramHint;
  return text;
}

}  // namespace flowline

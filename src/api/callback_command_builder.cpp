#include "api/callback_command_builder.hpp"

#include <exception>

#include "core/task_row.hpp"

namespace flowline {

Result<std::string> CallbackCommandBuilder::build(const Task& task, const std::vector<int>& gpus,
                                                  int64_t /*run*/) {
  api::Row row;
  for (auto& [key, value] : task_row(task)) row.emplace(std::move(key), std::move(value));
  const int gpu_id = gpus.empty() ? -1 : gpus.front();
  std::string command;
  try {
    command = func_(row, gpu_id, gpus);
  } catch (const std::exception& e) {
    return Error{std::string("the builder function threw: ") + e.what()};
  } catch (...) {
    return Error{"the builder function threw an exception that is not a std::exception"};
  }
  if (command.find_first_not_of(" \t\r\n") == std::string::npos)
    return Error{"the builder function returned an empty command"};
  return command;
}

}  // namespace flowline

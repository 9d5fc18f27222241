#include "core/task_row.hpp"

#include <algorithm>
#include <optional>

#include "core/task_table.hpp"

namespace flowline {
namespace {

std::optional<std::string> reserved_text(const Task& task, std::string_view column) {
  if (column == "name") return task.name;
  if (column == "run_num") return std::to_string(task.run_num);
  if (column == "need_run_num") return std::to_string(task.need_run_num);
  if (column == "cmd") return task.cmd;
  if (column == "gpus") return std::to_string(task.gpus);
  if (column == "min_mem") return min_mem_text(task);
  if (column == "priority") return std::to_string(task.priority);
  if (column == "timeout") return task.timeout_ms ? timeout_seconds_text(*task.timeout_ms) : "";
  return std::nullopt;
}

std::string param_text(const Task& task, const std::string& column) {
  return std::string(task.params.find(column).value_or(""));
}

}  // namespace

TaskRow task_row(const Task& task, const std::vector<std::string>& columns) {
  TaskRow row;
  row.reserve(columns.size() + kReservedColumns.size() + task.params.size());
  auto has = [&](std::string_view column) {
    return std::any_of(row.begin(), row.end(), [&](const auto& kv) { return kv.first == column; });
  };
  for (const std::string& column : columns) {
    if (has(column)) continue;  // a header never repeats a name, but stay one entry per key
    std::optional<std::string> reserved = reserved_text(task, column);
    row.emplace_back(column, reserved ? *reserved : param_text(task, column));
  }
  for (std::string_view column : kReservedColumns)
    if (!has(column)) row.emplace_back(std::string(column), *reserved_text(task, column));
  for (const auto& [key, value] : task.params)
    if (!has(key)) row.emplace_back(key, value);
  return row;
}

}  // namespace flowline

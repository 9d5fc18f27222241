#pragma once
// A task as the row it came from, every column as text: what a programmable command builder
// receives (the original's `func(dict, ...)` took the row as a dict of column -> cell).
#include <string>
#include <utility>
#include <vector>

#include "core/task.hpp"

namespace flowline {

using TaskRow = std::vector<std::pair<std::string, std::string>>;

// Every column in `columns` order (the table's header), then any reserved column the table did
// not have (those are filled in when the table is loaded). Reserved columns show their value
// as the task has it now (run_num counts the runs done so far); a blank min_mem or timeout is
// "", a timeout is in seconds as a user writes it ("90", "1.5"). Without `columns`, the
// reserved columns come first, then the parameters.
TaskRow task_row(const Task& task, const std::vector<std::string>& columns = {});

}  // namespace flowline

#pragma once
// Gives the reserved columns of a raw table their meaning (DESIGN.md §2 "Task table").
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/table_model.hpp"
#include "core/task.hpp"

namespace flowline {

// Reserved column names, matched exactly (case-sensitive, as the original tool did).
inline constexpr std::array<std::string_view, 8> kReservedColumns = {
    "name", "run_num", "need_run_num", "cmd", "gpus", "min_mem", "priority", "timeout"};

bool is_reserved_column(std::string_view column);

// More GPUs than this per run is surely a typo; refusing it keeps GPU lists small.
inline constexpr int64_t kMaxGpusPerTask = 1024;

// At most this many problems are listed in one error; the rest are counted.
inline constexpr int kMaxTableErrors = 20;

// One Task per row. A blank reserved cell takes its default; every other column becomes a
// parameter, in column order, blank as "". Integer columns accept `2` and `2.0` but not `2.5`.
// On failure the error lists every bad cell (up to kMaxTableErrors), one per line, each as
// "PATH:ROW:COL: column 'NAME': what was expected, got 'TEXT'".
Result<std::vector<Task>> tasks_from_table(const RawTable& table);

// The same, but moves the cells out of `table.rows`, which is left empty (columns, path and
// source_rows stay), so that a large table and its tasks are never both in memory.
Result<std::vector<Task>> take_tasks_from_table(RawTable& table);

// Builds tasks one row at a time with the rules of tasks_from_table, so that a reader can
// hand each row over as soon as it is read and no table of cells is ever held in memory
// (loading a large table is bound by how much fresh memory it touches; docs/benchmarks.md).
class TaskTableBuilder {
 public:
  TaskTableBuilder(std::string path, std::vector<std::string> columns, size_t expected_rows = 0);
  ~TaskTableBuilder();
  TaskTableBuilder(const TaskTableBuilder&) = delete;
  TaskTableBuilder& operator=(const TaskTableBuilder&) = delete;

  // Moves the text out of `cells` (one per column); `line` is where the user finds the row
  // (RawTable::source_rows).
  void add_row(std::vector<CellValue>& cells, int64_t line);
  // Every task, or every problem found (as tasks_from_table reports them).
  Result<std::vector<Task>> finish() &&;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The Python FlowLine wrote this into every row it saved ("No command" in its own todo.xlsx).
// It is read as an empty cmd (Task::cmd_placeholder), so the template decides the command.
inline constexpr std::string_view kOriginalNoCommand = "No command";
// "900 rows have cmd = 'No command' …: read as empty", or "" when none has.
std::string placeholder_cmd_note(const std::vector<Task>& tasks);

// A timeout as seconds the way a user writes them: 90000 -> "90", 1500 -> "1.5".
std::string timeout_seconds_text(int64_t timeout_ms);
// The min_mem cell as written back: "7000", "auto", or "" for the global setting.
std::string min_mem_text(const Task& task);

}  // namespace flowline

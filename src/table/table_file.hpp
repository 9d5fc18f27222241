#pragma once
// Reading and writing task tables; the format is chosen by the file's extension.
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/table_model.hpp"
#include "core/task.hpp"
#include "table/file_signature.hpp"

namespace flowline {

// Reads .csv, .json or .xlsx. Errors name the file, row and column at fault.
Result<RawTable> read_table(const std::string& path);

// A table given meaning: its header and one task per row.
struct TaskTable {
  std::vector<std::string> columns;
  std::vector<Task> tasks;
};

// read_table + take_tasks_from_table, with the errors of both. CSV rows become tasks as they
// are read, so a large table's cells are never all in memory at once.
Result<TaskTable> load_task_table(const std::string& path);

// Rewrites only the given cells, atomically (temp file + fsync + rename). A column that
// the file lacks (e.g. run_num) is appended. Everything else stays as the file had it.
Status write_cells(const std::string& path, const std::vector<CellUpdate>& updates);

// The same, only while the file is still the version `expected` (checked after reading it and
// right before the rename): false, writing nothing, when someone saved it since. Rows are
// those of that version, so a save in between must never receive them.
Result<bool> write_cells_if_unchanged(const std::string& path,
                                      const std::vector<CellUpdate>& updates,
                                      const FileSignature& expected);

}  // namespace flowline

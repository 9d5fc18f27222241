#pragma once
// Reading and writing task tables; the format is chosen by the file's extension.
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/table_model.hpp"

namespace flowline {

// Reads .csv, .json or .xlsx. Errors name the file, row and column at fault.
Result<RawTable> read_table(const std::string& path);

// Rewrites only the given cells, atomically (temp file + fsync + rename). A column that
// the file lacks (e.g. run_num) is appended. Everything else stays as the file had it.
Status write_cells(const std::string& path, const std::vector<CellUpdate>& updates);

}  // namespace flowline

#pragma once
// Error messages that name the place at fault, in one style for every table format (CSV, JSON,
// XLSX, and the meaning given to cells in core/task_table.cpp), so that editors and scripts
// that jump to FILE:LINE:COL understand them all:
//   PATH:ROW:COL: column 'NAME': message   (a cell; without "column 'NAME': " when unnamed)
//   PATH:ROW: message                      (a whole row / record)
//   PATH: message                          (the whole file)
// ROW is the CSV line, the sheet's row number or the JSON line; COL is the column's number in
// the header (1-based; A = 1 in a sheet), or for a JSON syntax error its character column.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace flowline {

Error file_error(std::string_view path, std::string_view message);
Error row_error(std::string_view path, int64_t row, std::string_view message);
// `column` is 1-based; `name` may be empty (a header cell that has none yet).
Error cell_error(std::string_view path, int64_t row, int64_t column, std::string_view name,
                 std::string_view message);
// The text of cell_error, for callers that collect several.
std::string cell_error_text(std::string_view path, int64_t row, int64_t column,
                            std::string_view name, std::string_view message);

}  // namespace flowline

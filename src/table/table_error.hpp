#pragma once
// Error messages that name the place at fault, in one style for every table format:
//   PATH:ROW: column COLUMN: message      (a cell)
//   PATH:ROW: message                     (a whole row / record)
//   PATH: message                         (the whole file)
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace flowline {

Error file_error(std::string_view path, std::string_view message);
Error row_error(std::string_view path, int64_t row, std::string_view message);
// `column` is what the user sees: a name, a letter, or both ("B (lr)").
Error cell_error(std::string_view path, int64_t row, std::string_view column,
                 std::string_view message);

// `3 "lr"`-style description of a 0-based column index plus its name when known.
std::string describe_column(size_t index, std::string_view name);

}  // namespace flowline

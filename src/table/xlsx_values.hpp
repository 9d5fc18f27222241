#pragma once
// Spreadsheet cell addresses (A1 references) and number text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flowline {

inline constexpr int64_t kMaxXlsxColumns = 16384;  // XFD
inline constexpr int64_t kMaxXlsxRows = 1048576;

struct CellRef {
  int64_t column = 0;  // 1-based
  int64_t row = 0;     // 1-based
};

// "B12" -> {2, 12}; nullopt unless it is a valid reference inside the sheet limits.
std::optional<CellRef> parse_cell_ref(std::string_view text);
std::string column_letters(int64_t column);
std::string cell_name(int64_t column, int64_t row);

// A number as a user would write it: integral values without a fraction (`2.0` -> `2`),
// others in the shortest form that reads back to the same double (`0.001`, `1e-05`).
// nullopt when the text is not a finite number.
std::optional<std::string> format_xlsx_number(std::string_view raw);

}  // namespace flowline

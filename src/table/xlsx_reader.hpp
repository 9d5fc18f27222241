#pragma once
// XLSX tables: the first sheet in workbook order; the first row with any value is the header.
// Conventions, shared with the other formats:
// - Cells are placed by their r= reference, so a missing cell is a blank, not a shift.
// - Numbers keep the text a user typed: `2`/`2.0` -> `2`, `0.001`, `1e-05` (shortest form
//   that reads back to the same double). Dates are numbers (serial days), as stored.
// - Booleans read as `true` / `false` (as JSON writes them); shared strings (rich-text runs
//   joined), inline strings, and formula results (`t="str"` or a cached <v>) are values;
//   an error cell (`#DIV/0!`) is an error naming the cell. An empty string is blank.
// - Rows with no value are skipped; source_rows holds the spreadsheet row numbers.
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/table_model.hpp"

namespace flowline {

struct XlsxDocument {
  RawTable table;
  std::string sheet_part;  // zip entry of the sheet that was read
  std::string sheet_name;
  std::string sheet_xml;
  int64_t header_row = 0;    // spreadsheet row number of the header
  int64_t first_column = 0;  // spreadsheet column number of table column 0
};

// kLayoutOnly checks every cell as kValues does but keeps no values: each row of `table` is
// then empty (its number is in source_rows) — what the writer needs, at a fraction of the memory.
enum class XlsxCells { kValues, kLayoutOnly };
Result<XlsxDocument> parse_xlsx_document(std::string_view bytes, const std::string& path,
                                         XlsxCells cells = XlsxCells::kValues);
Result<RawTable> parse_xlsx(std::string_view bytes, const std::string& path);
Result<RawTable> read_xlsx(const std::string& path);

}  // namespace flowline

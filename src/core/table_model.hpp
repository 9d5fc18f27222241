#pragma once
// The table as read from a file, before any meaning is given to its columns.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flowline {

enum class TableFormat { kCsv, kJson, kXlsx };

// A cell keeps the text the user wrote (`0.001` stays `0.001`); nullopt is a blank cell.
using CellValue = std::optional<std::string>;

struct RawTable {
  std::string path;                         // as given by the user, for messages
  TableFormat format = TableFormat::kCsv;
  std::vector<std::string> columns;         // header, in file order, unique
  std::vector<std::vector<CellValue>> rows; // rows[i].size() == columns.size()
  // Where row i came from, as the user would find it: the 1-based line of the CSV
  // record / spreadsheet row number of XLSX / line where the JSON object starts.
  std::vector<int64_t> source_rows;
};

// One cell to rewrite in place: data row (0-based, header excluded) and column name.
struct CellUpdate {
  int64_t row = 0;
  std::string column;
  std::string value;
};

// The cells of a row to append (`add`, `copy`): column name and the text the user typed.
using NewRowCells = std::vector<std::pair<std::string, std::string>>;

}  // namespace flowline

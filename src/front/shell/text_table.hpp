#pragma once
// A plain-text table that fits the terminal: flexible columns (a command, a reason) give up
// their width first and are elided with "…"; a distinct column (a name) then shrinks by its
// middle, never so far that two different names print the same; the others keep their width
// so ids stay readable. A wrapping last column (`ls`'s command) continues on further lines
// under itself instead of being cut. No line ends in spaces.
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "front/shell/style.hpp"

namespace flowline::shell {

struct TableColumn {
  std::string header;
  bool align_right = false;
  size_t max_width = 0;   // 0 = no cap; a capped cell is elided
  bool flexible = false;  // shrinks (down to its header) to make the row fit
  bool distinct = false;  // shrinks by its middle after the flexible ones, keeping texts apart
  bool wrap = false;      // the last column only: wraps onto more lines instead of eliding
};

struct TableCell {
  TableCell(std::string t = "", std::optional<Colour> c = std::nullopt)  // NOLINT: implicit
      : text(std::move(t)), colour(c) {}
  std::string text;
  std::optional<Colour> colour;
};

class TextTable {
 public:
  explicit TextTable(std::vector<TableColumn> columns) : columns_(std::move(columns)) {}
  // Cell text is made visible first (one_line): table text never reaches the terminal raw.
  void add_row(std::vector<TableCell> cells);
  size_t row_count() const { return rows_.size(); }
  // width 0 = no limit (output to a pipe or a script).
  std::string render(size_t width, const Style& style) const;

 private:
  std::vector<size_t> column_widths(size_t width) const;
  size_t distinct_width(size_t column, size_t wanted, size_t natural) const;
  std::string render_row(const std::vector<TableCell>& cells, const std::vector<size_t>& widths,
                         const Style& style, bool header) const;

  std::vector<TableColumn> columns_;
  std::vector<std::vector<TableCell>> rows_;
};

}  // namespace flowline::shell

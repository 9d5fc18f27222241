#pragma once
// A plain-text table that fits the terminal: one flexible column (a command, a reason) gives up
// its width first and is elided with "…"; the others keep theirs so ids stay readable.
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
  void add_row(std::vector<TableCell> cells);
  size_t row_count() const { return rows_.size(); }
  // width 0 = no limit (output to a pipe or a script).
  std::string render(size_t width, const Style& style) const;

 private:
  std::vector<size_t> column_widths(size_t width) const;
  std::string render_row(const std::vector<TableCell>& cells, const std::vector<size_t>& widths,
                         const Style& style, bool header) const;

  std::vector<TableColumn> columns_;
  std::vector<std::vector<TableCell>> rows_;
};

}  // namespace flowline::shell

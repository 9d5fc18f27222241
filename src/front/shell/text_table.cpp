#include "front/shell/text_table.hpp"

#include <algorithm>

#include "front/shell/text_width.hpp"

namespace flowline::shell {

static constexpr size_t kGap = 2;  // spaces between columns

void TextTable::add_row(std::vector<TableCell> cells) {
  cells.resize(columns_.size());
  for (auto& c : cells) c.text = one_line(c.text);
  rows_.push_back(std::move(cells));
}

std::vector<size_t> TextTable::column_widths(size_t width) const {
  std::vector<size_t> widths;
  for (size_t i = 0; i < columns_.size(); ++i) {
    size_t w = display_width(columns_[i].header);
    for (const auto& row : rows_) w = std::max(w, display_width(row[i].text));
    if (columns_[i].max_width != 0)
      w = std::min(w, std::max(columns_[i].max_width, display_width(columns_[i].header)));
    widths.push_back(w);
  }
  if (width == 0) return widths;
  size_t total = kGap * (widths.empty() ? 0 : widths.size() - 1);
  for (size_t w : widths) total += w;
  for (size_t i = 0; i < columns_.size() && total > width; ++i) {
    if (!columns_[i].flexible) continue;
    size_t floor = display_width(columns_[i].header);
    size_t give = std::min(total - width, widths[i] > floor ? widths[i] - floor : 0);
    widths[i] -= give;
    total -= give;
  }
  return widths;
}

std::string TextTable::render_row(const std::vector<TableCell>& cells,
                                  const std::vector<size_t>& widths, const Style& style,
                                  bool header) const {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    bool last = i + 1 == cells.size();
    std::string text = elide(cells[i].text, widths[i]);
    // Pad before painting: escape codes take no columns.
    std::string padded = columns_[i].align_right ? pad_left(text, widths[i])
                         : last                  ? text
                                                 : pad_right(text, widths[i]);
    if (header)
      padded = style.bold(padded);
    else if (cells[i].colour)
      padded = style.paint(padded, *cells[i].colour);
    line += padded;
    if (!last) line += std::string(kGap, ' ');
  }
  return line + "\n";
}

std::string TextTable::render(size_t width, const Style& style) const {
  std::vector<size_t> widths = column_widths(width);
  std::vector<TableCell> header;
  for (const auto& c : columns_) header.push_back({c.header, std::nullopt});
  std::string out = render_row(header, widths, style, true);
  for (const auto& row : rows_) out += render_row(row, widths, style, false);
  return out;
}

}  // namespace flowline::shell

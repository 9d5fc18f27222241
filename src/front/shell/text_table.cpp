#include "front/shell/text_table.hpp"

#include <algorithm>
#include <unordered_map>

#include "front/shell/text_width.hpp"

namespace flowline::shell {

static constexpr size_t kGap = 2;                // spaces between columns
static constexpr size_t kMinDistinctWidth = 12;  // a name cut shorter says too little
static constexpr size_t kMinWrapWidth = 20;      // a command wrapped narrower is unreadable

void TextTable::add_row(std::vector<TableCell> cells) {
  cells.resize(columns_.size());
  for (auto& c : cells) c.text = one_line(c.text);
  rows_.push_back(std::move(cells));
}

// The narrowest width >= `wanted` at which no two different texts of the column elide to
// the same text (at `natural` every text is whole, so the search ends).
size_t TextTable::distinct_width(size_t column, size_t wanted, size_t natural) const {
  for (size_t w = wanted; w < natural; ++w) {
    std::unordered_map<std::string, const std::string*> seen;
    bool clash = false;
    for (const auto& row : rows_) {
      const std::string& text = row[column].text;
      auto [it, fresh] = seen.emplace(elide_middle(text, w), &text);
      if (!fresh && *it->second != text) {
        clash = true;
        break;
      }
    }
    if (!clash) return w;
  }
  return natural;
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
  auto shrink = [&](size_t i, size_t floor) {
    if (total <= width || widths[i] <= floor) return;
    const size_t give = std::min(total - width, widths[i] - floor);
    widths[i] -= give;
    total -= give;
  };
  for (size_t i = 0; i < columns_.size(); ++i) {
    const size_t header = display_width(columns_[i].header);
    if (columns_[i].flexible) shrink(i, header);
    if (columns_[i].wrap) shrink(i, std::max(header, kMinWrapWidth));
  }
  for (size_t i = 0; i < columns_.size() && total > width; ++i) {
    if (!columns_[i].distinct) continue;
    const size_t natural = widths[i];
    shrink(i, std::max(display_width(columns_[i].header), kMinDistinctWidth));
    const size_t kept = distinct_width(i, widths[i], natural);
    total += kept - widths[i];
    widths[i] = kept;
  }
  // A very narrow terminal: the wrapped column goes down to its header, one word a line.
  for (size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i].wrap) shrink(i, display_width(columns_[i].header));
  return widths;
}

std::string TextTable::render_row(const std::vector<TableCell>& cells,
                                  const std::vector<size_t>& widths, const Style& style,
                                  bool header) const {
  std::string line;
  std::vector<std::string> more;  // the wrapped column's further lines
  size_t column_start = 0;
  for (size_t i = 0; i < cells.size(); ++i) {
    const TableColumn& col = columns_[i];
    const bool last = i + 1 == cells.size();
    std::string text;
    if (col.wrap && last && !header) {
      std::vector<std::string> lines = wrap_words(cells[i].text, widths[i]);
      text = lines.front();
      for (size_t k = 1; k < lines.size(); ++k)
        more.push_back(std::string(column_start, ' ') + lines[k]);
    } else {
      text =
          col.distinct ? elide_middle(cells[i].text, widths[i]) : elide(cells[i].text, widths[i]);
    }
    const size_t w = display_width(text);
    const std::string fill(widths[i] > w ? widths[i] - w : 0, ' ');
    // Paint the text only, never its padding: escape codes take no columns, and a row must
    // not end in spaces hidden inside them.
    std::string painted = header            ? style.bold(text)
                          : cells[i].colour ? style.paint(text, *cells[i].colour)
                                            : text;
    line += col.align_right ? fill + painted : painted + (last ? "" : fill);
    if (!last) line += std::string(kGap, ' ');
    column_start += widths[i] + kGap;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  std::string out = line + "\n";
  for (const auto& m : more) out += m + "\n";
  return out;
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

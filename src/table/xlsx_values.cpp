#include "table/xlsx_values.hpp"

#include <charconv>
#include <cmath>

namespace flowline {

std::optional<CellRef> parse_cell_ref(std::string_view text) {
  CellRef ref;
  size_t i = 0;
  while (i < text.size() && i < 4 && text[i] >= 'A' && text[i] <= 'Z') {
    ref.column = ref.column * 26 + (text[i] - 'A' + 1);
    ++i;
  }
  if (i == 0 || ref.column > kMaxXlsxColumns) return std::nullopt;
  const size_t digits = i;
  while (i < text.size() && i - digits < 8 && text[i] >= '0' && text[i] <= '9') {
    ref.row = ref.row * 10 + (text[i] - '0');
    ++i;
  }
  if (i == digits || i != text.size() || text[digits] == '0') return std::nullopt;
  if (ref.row > kMaxXlsxRows) return std::nullopt;
  return ref;
}

std::string column_letters(int64_t column) {
  std::string out;
  while (column > 0) {
    const int64_t rem = (column - 1) % 26;
    out.insert(out.begin(), static_cast<char>('A' + rem));
    column = (column - 1) / 26;
  }
  return out;
}

std::string cell_name(int64_t column, int64_t row) {
  return column_letters(column) + std::to_string(row);
}

std::optional<std::string> format_xlsx_number(std::string_view raw) {
  while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\n')) raw.remove_prefix(1);
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n')) raw.remove_suffix(1);
  if (raw.empty()) return std::nullopt;
  double value = 0;
  const char* end = raw.data() + raw.size();
  const auto [ptr, ec] = std::from_chars(raw.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace flowline

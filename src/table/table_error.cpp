#include "table/table_error.hpp"

namespace flowline {

Error file_error(std::string_view path, std::string_view message) {
  std::string text(path);
  text += ": ";
  text += message;
  return Error{std::move(text)};
}

Error row_error(std::string_view path, int64_t row, std::string_view message) {
  std::string text(path);
  text += ':';
  text += std::to_string(row);
  text += ": ";
  text += message;
  return Error{std::move(text)};
}

Error cell_error(std::string_view path, int64_t row, std::string_view column,
                 std::string_view message) {
  std::string text(path);
  text += ':';
  text += std::to_string(row);
  text += ": column ";
  text += column;
  text += ": ";
  text += message;
  return Error{std::move(text)};
}

std::string describe_column(size_t index, std::string_view name) {
  std::string text = std::to_string(index + 1);
  if (!name.empty()) {
    text += " (";
    text += name;
    text += ')';
  }
  return text;
}

}  // namespace flowline

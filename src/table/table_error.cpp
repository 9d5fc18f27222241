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

std::string cell_error_text(std::string_view path, int64_t row, int64_t column,
                            std::string_view name, std::string_view message) {
  std::string text(path);
  text += ':';
  text += std::to_string(row);
  text += ':';
  text += std::to_string(column);
  text += ": ";
  if (!name.empty()) {
    text += "column '";
    text += name;
    text += "': ";
  }
  text += message;
  return text;
}

Error cell_error(std::string_view path, int64_t row, int64_t column, std::string_view name,
                 std::string_view message) {
  return Error{cell_error_text(path, row, column, name, message)};
}

}  // namespace flowline

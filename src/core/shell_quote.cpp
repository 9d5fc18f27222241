#include "core/shell_quote.hpp"

namespace flowline {
namespace {

bool is_safe_byte(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '/':
    case '=':
    case ':':
    case ',':
    case '+':
    case '@':
    case '%':
      return true;
    default:
      return false;
  }
}

bool is_safe(std::string_view value) {
  if (value.empty()) return false;
  for (char c : value) {
    if (!is_safe_byte(c)) return false;
  }
  return true;
}

}  // namespace

void append_shell_quoted(std::string& out, std::string_view value) {
  if (is_safe(value)) {
    out.append(value);
    return;
  }
  out.push_back('\'');
  for (char c : value) {
    if (c == '\'') {
      out.append("'\\''");  // close the quote, an escaped quote, reopen
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
}

std::string shell_quote(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  append_shell_quoted(out, value);
  return out;
}

}  // namespace flowline

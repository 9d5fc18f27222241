#include "front/shell/text_width.hpp"

namespace flowline::shell {

static bool is_continuation_byte(unsigned char c) { return (c & 0xC0) == 0x80; }

size_t display_width(const std::string& text) {
  size_t n = 0;
  for (unsigned char c : text) n += is_continuation_byte(c) ? 0 : 1;
  return n;
}

std::string elide(const std::string& text, size_t width) {
  if (display_width(text) <= width) return text;
  if (width == 0) return "";
  size_t keep = width - 1, seen = 0, i = 0;
  for (; i < text.size(); ++i) {
    if (!is_continuation_byte(static_cast<unsigned char>(text[i]))) {
      if (seen == keep) break;
      ++seen;
    }
  }
  return text.substr(0, i) + "…";
}

std::string pad_right(const std::string& text, size_t width) {
  size_t w = display_width(text);
  return w >= width ? text : text + std::string(width - w, ' ');
}

std::string pad_left(const std::string& text, size_t width) {
  size_t w = display_width(text);
  return w >= width ? text : std::string(width - w, ' ') + text;
}

std::string one_line(const std::string& text) {
  std::string out = text;
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return out;
}

}  // namespace flowline::shell

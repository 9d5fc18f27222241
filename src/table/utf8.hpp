#pragma once
// UTF-8 validation: table text must be valid UTF-8 so that commands and the web UI get
// exactly what the user typed.
#include <cstddef>
#include <string>
#include <string_view>

namespace flowline {

// Offset of the first byte that is not part of a valid UTF-8 sequence, or npos.
size_t find_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) {
  return find_invalid_utf8(text) == std::string_view::npos;
}

// Appends the UTF-8 encoding of a code point (assumed valid, <= 0x10FFFF, no surrogate).
void append_utf8(std::string& out, char32_t code_point);

}  // namespace flowline

#pragma once
// UTF-8 validation and decoding: table text must be valid UTF-8 so that commands and the web UI
// get exactly what the user typed; file names and terminal output work per character.
#include <cstddef>
#include <string>
#include <string_view>

namespace flowline {

// Length of the valid UTF-8 sequence that starts at text[i] (1 for ASCII), or 0 when the
// bytes there are not one (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
size_t utf8_sequence_length(std::string_view text, size_t i);

// The code point of the valid sequence of `length` bytes at text[i].
char32_t decode_utf8(std::string_view text, size_t i, size_t length);

// Offset of the first byte that is not part of a valid UTF-8 sequence, or npos.
size_t find_invalid_utf8(std::string_view text);

inline bool is_valid_utf8(std::string_view text) {
  return find_invalid_utf8(text) == std::string_view::npos;
}

// Appends the UTF-8 encoding of a code point (assumed valid, <= 0x10FFFF, no surrogate).
void append_utf8(std::string& out, char32_t code_point);

}  // namespace flowline

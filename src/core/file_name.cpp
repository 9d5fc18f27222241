#include "core/file_name.hpp"

#include "core/utf8.hpp"

namespace flowline {

static bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

std::string safe_file_name(std::string_view name, size_t max_bytes) {
  std::string out;
  size_t i = 0;
  while (i < name.size()) {
    const size_t n = utf8_sequence_length(name, i);
    const bool bad = n == 0 || name[i] == '/' || is_control(decode_utf8(name, i, n));
    if (out.size() + (bad ? 1 : n) > max_bytes) break;  // never half a character
    if (bad)
      out += '_';  // one per character (a byte, when it is not UTF-8)
    else
      out.append(name, i, n);
    i += n == 0 ? 1 : n;
  }
  if (!out.empty() && (out[0] == '-' || out[0] == '.')) out[0] = '_';
  return out;
}

}  // namespace flowline

#include "front/shell/text_width.hpp"

#include <algorithm>
#include <cstdio>

#include "core/utf8.hpp"

namespace flowline::shell {
namespace {

struct Range {
  char32_t first, last;
};

// East Asian Width W and F (Unicode 15, merged to the blocks a name may hold).
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x18CFF},
    {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E},
    {0x1F191, 0x1F19A}, {0x1F200, 0x1F2FF}, {0x1F300, 0x1F320}, {0x1F32D, 0x1F335},
    {0x1F337, 0x1F37C}, {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA}, {0x1F3CF, 0x1F3D3},
    {0x1F3E0, 0x1F3F0}, {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440},
    {0x1F442, 0x1F4FC}, {0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567},
    {0x1F57A, 0x1F57A}, {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4}, {0x1F5FB, 0x1F64F},
    {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2}, {0x1F6D5, 0x1F6D7},
    {0x1F6EB, 0x1F6EC}, {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F93A},
    {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x3FFFD},
};

// Combining marks and joiners: drawn on the character before them.
constexpr Range kZero[] = {{0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD},  {0x0610, 0x061A},
                           {0x064B, 0x065F}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A},  {0x0E47, 0x0E4E},
                           {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},  {0x20D0, 0x20FF},
                           {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xE0100, 0xE01EF}};

template <size_t N>
bool in(const Range (&ranges)[N], char32_t cp) {
  for (const Range& r : ranges)
    if (cp >= r.first && cp <= r.last) return true;
  return false;
}

// One character of `text` at byte i: its length in bytes and its columns. A byte that is not
// UTF-8 counts as one column (one_line has already turned it into "\xNN" for display).
struct Glyph {
  size_t bytes;
  size_t columns;
};

Glyph glyph_at(std::string_view text, size_t i) {
  const size_t n = utf8_sequence_length(text, i);
  if (n == 0) return {1, 1};
  const char32_t cp = decode_utf8(text, i, n);
  if (in(kZero, cp)) return {n, 0};
  return {n, in(kWide, cp) ? 2u : 1u};
}

bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

std::string escape(char32_t cp) {
  switch (cp) {
    case '\n':
      return "\\n";
    case '\t':
      return "\\t";
    case '\r':
      return "\\r";
    default:
      break;
  }
  char buf[16];
  if (cp < 0x80)
    std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
  else
    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
  return buf;
}

std::string visible(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x",
                    static_cast<unsigned>(static_cast<uint8_t>(text[i])));
      out += buf;
      ++i;
      continue;
    }
    const char32_t cp = decode_utf8(text, i, n);
    if (is_control(cp) && !(keep_newlines && cp == '\n'))
      out += escape(cp);
    else
      out.append(text, i, n);
    i += n;
  }
  return out;
}

// The longest prefix of `text` that fits `width` columns, in bytes.
size_t fitting_prefix(std::string_view text, size_t width) {
  size_t i = 0, used = 0;
  while (i < text.size()) {
    const Glyph g = glyph_at(text, i);
    if (used + g.columns > width) break;
    used += g.columns;
    i += g.bytes;
  }
  return i;
}

// The shortest suffix start of `text` whose columns fit `width`.
size_t fitting_suffix(std::string_view text, size_t width) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < text.size(); i += glyph_at(text, i).bytes) starts.push_back(i);
  size_t used = 0, start = text.size();
  for (auto it = starts.rbegin(); it != starts.rend(); ++it) {
    const size_t columns = glyph_at(text, *it).columns;
    if (used + columns > width) break;
    used += columns;
    start = *it;
  }
  return start;
}

}  // namespace

size_t display_width(std::string_view text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size();) {
    const Glyph g = glyph_at(text, i);
    n += g.columns;
    i += g.bytes;
  }
  return n;
}

std::string elide(std::string_view text, size_t width) {
  if (display_width(text) <= width) return std::string(text);
  if (width == 0) return "";
  return std::string(text.substr(0, fitting_prefix(text, width - 1))) + "…";
}

std::string elide_middle(std::string_view text, size_t width) {
  if (display_width(text) <= width) return std::string(text);
  if (width < 3) return elide(text, width);
  const size_t tail = (width - 1) / 2;  // the end tells grid rows apart: it gets the odd column
  const size_t head = width - 1 - tail;
  std::string out(text.substr(0, fitting_prefix(text, head)));
  out += "…";
  out += text.substr(fitting_suffix(text, width - display_width(out)));
  return out;
}

std::string pad_right(const std::string& text, size_t width) {
  size_t w = display_width(text);
  return w >= width ? text : text + std::string(width - w, ' ');
}

std::string pad_left(const std::string& text, size_t width) {
  size_t w = display_width(text);
  return w >= width ? text : std::string(width - w, ' ') + text;
}

std::vector<std::string> wrap_words(std::string_view text, size_t width) {
  std::vector<std::string> lines;
  if (width == 0 || display_width(text) <= width) return {std::string(text)};
  std::string line;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(i, end - i);
    const size_t need = display_width(line) + (line.empty() ? 0 : 1) + display_width(word);
    if (!line.empty() && need > width) {
      lines.push_back(line);
      line.clear();
    }
    while (display_width(word) > width) {  // a word longer than a line: split it
      size_t cut = fitting_prefix(word, width);
      if (cut == 0) cut = glyph_at(word, 0).bytes;  // a wide character on a 1-column line
      lines.emplace_back(word.substr(0, cut));
      word.remove_prefix(cut);
    }
    if (!word.empty()) {
      if (!line.empty()) line += ' ';
      line += word;
    }
    i = end + 1;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

std::string wrap_lines(std::string_view text, size_t width) {
  if (width == 0) return std::string(text);
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    const bool newline = end != std::string_view::npos;
    if (!newline) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (display_width(line) <= width) {
      out += line;
    } else {
      const size_t indent = std::min(line.find_first_not_of(' '), width / 2);
      const std::string pad(indent, ' ');
      std::vector<std::string> parts = wrap_words(line.substr(indent), width - indent);
      for (size_t k = 0; k < parts.size(); ++k) out += (k ? "\n" : "") + pad + parts[k];
    }
    if (newline) out += '\n';
    start = end + 1;
  }
  return out;
}

std::string one_line(std::string_view text) { return visible(text, false); }

std::string visible_lines(std::string_view text) { return visible(text, true); }

}  // namespace flowline::shell

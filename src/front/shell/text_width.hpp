#pragma once
// Terminal columns of UTF-8 text, so that tables line up with names like "résumé" or "…".
#include <cstddef>
#include <string>

namespace flowline::shell {

// Columns taken by `text`: one per code point (FlowLine's own output has no wide characters;
// a CJK name may be two columns and is counted as one, which only costs some alignment).
size_t display_width(const std::string& text);
// `text` cut to at most `width` columns, ending in "…" when something was cut.
std::string elide(const std::string& text, size_t width);
// `text` padded with spaces to `width` columns (never cut).
std::string pad_right(const std::string& text, size_t width);
std::string pad_left(const std::string& text, size_t width);
// Control characters (newlines, tabs, escapes) replaced by spaces: a table cell is one line,
// and text from a table cell must not be able to move the cursor.
std::string one_line(const std::string& text);

}  // namespace flowline::shell

#pragma once
// Terminal columns of UTF-8 text, so that tables line up with names like "résumé", "实验" or
// "…", and text from a table cell that cannot reach the terminal as it is.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace flowline::shell {

// Columns taken by `text`: two for East Asian wide and fullwidth characters (CJK, most emoji),
// none for combining marks, one for the rest. Expects text already made visible (one_line).
size_t display_width(std::string_view text);
// `text` cut to at most `width` columns, ending in "…" when something was cut.
std::string elide(std::string_view text, size_t width);
// `text` cut to at most `width` columns by replacing its middle with "…": names of a grid
// differ at their ends ("…-s0", "…-s1"), which cutting the end would make identical.
std::string elide_middle(std::string_view text, size_t width);
// `text` padded with spaces to `width` columns (never cut).
std::string pad_right(const std::string& text, size_t width);
std::string pad_left(const std::string& text, size_t width);
// `text` split into lines of at most `width` columns, at spaces where it can (a word longer
// than a line is split where it must); width 0 gives the text on one line.
std::vector<std::string> wrap_words(std::string_view text, size_t width);
// Each line of `text` longer than `width` wrapped at spaces, its continuation lines indented
// like it: help texts and questions then never break a word at the terminal's edge.
// Width 0 leaves the text as it is.
std::string wrap_lines(std::string_view text, size_t width);
// Text from a table or a process, made safe for a terminal on one line: every control
// character shown as an escape ("\n", "\t", "\x1b", "\u009b"), bytes that are not UTF-8 as
// "\xff". A name holding an escape sequence can then neither recolour nor move anything.
std::string one_line(std::string_view text);
// The same, keeping the line breaks (for multi-line messages).
std::string visible_lines(std::string_view text);

}  // namespace flowline::shell

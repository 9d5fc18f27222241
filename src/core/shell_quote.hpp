#pragma once
// POSIX shell quoting for values inserted into command templates (DESIGN.md §2 "Commands").
#include <string>
#include <string_view>

namespace flowline {

// Returns `value` as one shell word: bare when every byte is safe (ASCII letters, digits and
// `-_./=:,+@%`), otherwise single-quoted with each `'` written as `'\''`. Empty gives `''`,
// so an empty value still occupies its argument position.
std::string shell_quote(std::string_view value);

// Appends shell_quote(value) to `out` without a temporary.
void append_shell_quoted(std::string& out, std::string_view value);

}  // namespace flowline

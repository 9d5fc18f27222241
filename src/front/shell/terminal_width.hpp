#pragma once
// The width of the terminal on `fd`, for fitting tables. When `fd` is not a terminal, $COLUMNS
// if the user set it (`COLUMNS=80 flowline ctl ls | less`), else 0, so that piped output
// (scripts, grep) is never cut.
#include <cstddef>

namespace flowline::shell {

size_t terminal_width(int fd);

}  // namespace flowline::shell

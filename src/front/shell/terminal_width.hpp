#pragma once
// The width of the terminal on `fd`, for fitting tables; 0 when `fd` is not a terminal, so
// that piped output (scripts, grep) is never cut.
#include <cstddef>

namespace flowline::shell {

size_t terminal_width(int fd);

}  // namespace flowline::shell

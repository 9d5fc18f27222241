#include "front/shell/terminal_width.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

namespace flowline::shell {

static size_t columns_variable() {
  const char* text = std::getenv("COLUMNS");
  if (text == nullptr) return 0;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  return end != text && *end == '\0' && value > 0 && value < 100000 ? static_cast<size_t>(value)
                                                                    : 0;
}

size_t terminal_width(int fd) {
  if (isatty(fd) != 1) return columns_variable();
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col != 0) return ws.ws_col;
  const size_t columns = columns_variable();  // a terminal that won't say
  return columns != 0 ? columns : 80;
}

}  // namespace flowline::shell

#include "front/shell/terminal_width.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

namespace flowline::shell {

size_t terminal_width(int fd) {
  if (isatty(fd) != 1) return 0;
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0) return 80;  // a terminal that won't say
  return ws.ws_col;
}

}  // namespace flowline::shell

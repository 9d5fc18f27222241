#include "front/shell/style.hpp"

#include <unistd.h>

#include <cstdlib>

namespace flowline::shell {

static const char* ansi_code(Colour colour) {
  switch (colour) {
    case Colour::kGreen:
      return "\033[32m";
    case Colour::kYellow:
      return "\033[33m";
    case Colour::kRed:
      return "\033[31m";
    case Colour::kCyan:
      return "\033[36m";
    case Colour::kDim:
      return "\033[2m";
  }
  return "";
}

std::string Style::bold(const std::string& text) const {
  return enabled_ ? "\033[1m" + text + "\033[0m" : text;
}

std::string Style::paint(const std::string& text, Colour colour) const {
  return enabled_ ? ansi_code(colour) + text + "\033[0m" : text;
}

bool colour_wanted(int fd) {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && *no_colour != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string(term) == "dumb") return false;
  return isatty(fd) == 1;
}

}  // namespace flowline::shell

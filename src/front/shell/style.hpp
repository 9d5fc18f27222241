#pragma once
// Colour for the shell's tables: only on a terminal, and never when NO_COLOR is set
// (https://no-color.org). The decision is made once by the caller and passed in, because the
// ctl server renders for a client whose terminal it cannot see.
#include <string>

namespace flowline::shell {

enum class Colour { kGreen, kYellow, kRed, kCyan, kDim };

class Style {
 public:
  explicit Style(bool enabled) : enabled_(enabled) {}
  bool enabled() const { return enabled_; }
  std::string bold(const std::string& text) const;
  std::string paint(const std::string& text, Colour colour) const;

 private:
  bool enabled_;
};

// True when `fd` is a terminal and the environment does not ask for no colour.
bool colour_wanted(int fd);

}  // namespace flowline::shell

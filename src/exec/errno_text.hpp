#pragma once
// An errno as words, for messages ("No such file or directory").
#include <cstring>
#include <string>

namespace flowline {

inline std::string errno_text(int err) { return std::strerror(err); }

}  // namespace flowline

#pragma once
// Whole-file reads for the table readers: every format parses from one buffer.
#include <cstdint>
#include <string>

#include "core/result.hpp"

namespace flowline {

// Tables above this size are refused rather than exhausting memory.
inline constexpr int64_t kMaxTableFileBytes = int64_t{512} << 20;

Result<std::string> read_whole_file(const std::string& path);

}  // namespace flowline

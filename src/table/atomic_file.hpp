#pragma once
// Replacing a file so that a crash leaves either the old or the new content, never a mix:
// write a temp file beside it, fsync it, rename it over the original, fsync the directory.
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace flowline {

// Keeps the original file's permission bits; follows a symlink so the link stays a link.
Status write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace flowline

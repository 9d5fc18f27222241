#pragma once
// Replacing a file so that a crash leaves either the old or the new content, never a mix:
// write a temp file beside it, fsync it, rename it over the original, fsync the directory.
#include <functional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace flowline {

// Keeps the original file's permission bits; follows a symlink so the link stays a link.
Status write_file_atomically(const std::string& path, std::string_view contents);

// The same, but asks `still_wanted` once the new content is safely in the temp file, right
// before the rename: false leaves the file as it is and returns false.
Result<bool> replace_file_if(const std::string& path, std::string_view contents,
                             const std::function<bool()>& still_wanted);

// Removes the temp files a process killed between writing and renaming left beside `path`
// (`path.flowline-XXXXXX`). Only for the one writer of `path`: another's temp may be in use.
// Returns how many were removed.
int remove_leftover_temps(const std::string& path);

}  // namespace flowline

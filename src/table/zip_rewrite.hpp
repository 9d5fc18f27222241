#pragma once
// Produces a copy of an in-memory zip archive with one entry's content replaced (the entry
// moves to the end); libzip copies the other entries' compressed data as they are.
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace flowline {

Result<std::string> replace_zip_entry(std::string_view archive, const std::string& path,
                                      const std::string& entry, std::string_view content);

}  // namespace flowline

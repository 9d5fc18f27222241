#pragma once
// Produces a copy of an in-memory zip archive with one entry's content replaced (the entry
// moves to the end); libzip copies the other entries' compressed data as they are. The new
// content streams from `content` into the compressor.
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "table/edit_list.hpp"

namespace flowline {

Result<std::string> replace_zip_entry(std::string_view archive, const std::string& path,
                                      const std::string& entry, EditedText& content);

}  // namespace flowline

#pragma once
// A task's name as part of a file name (its runs' logs): a Chinese or emoji name must give a
// readable log name, so only what a file name cannot hold, or what makes it awkward to handle
// in a shell, is replaced.
#include <cstddef>
#include <string>
#include <string_view>

namespace flowline {

// The longest name part kept, in bytes: "<run id>-<name>.err" stays well under NAME_MAX (255).
constexpr size_t kMaxFileNameBytes = 200;

// `name` with '/', NUL, control characters (C0, DEL, C1) and bytes that are not UTF-8 replaced
// by '_', a leading '-' or '.' too (an option to every tool, or a hidden file), and cut to at
// most `max_bytes` bytes at a character boundary. Letters of every script are kept.
std::string safe_file_name(std::string_view name, size_t max_bytes = kMaxFileNameBytes);

}  // namespace flowline

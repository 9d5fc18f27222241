#pragma once
// What tells one version of a file from the next without reading it: every save, by any editor
// (in place, temp file + rename, sed -i, a copy over it), changes the inode or the change time,
// and only the kernel sets the change time.
#include <cstdint>
#include <optional>
#include <string>

namespace flowline {

struct FileSignature {
  uint64_t device = 0;
  uint64_t inode = 0;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  bool operator==(const FileSignature&) const = default;
};

// nullopt when the file cannot be stat'ed (missing, no permission). Follows symlinks.
std::optional<FileSignature> file_signature(const std::string& path);

}  // namespace flowline

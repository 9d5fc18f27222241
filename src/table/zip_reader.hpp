#pragma once
// Read-only access to a zip archive held in memory, with a cap on what an entry may claim
// to expand to, so a crafted "zip bomb" is refused before anything is allocated.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

struct zip;

namespace flowline {

inline constexpr uint64_t kMaxZipEntryBytes = uint64_t{512} << 20;

class ZipReader {
 public:
  // `bytes` must outlive the reader.
  static Result<std::unique_ptr<ZipReader>> open(std::string_view bytes, const std::string& path);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  bool contains(const std::string& name) const;
  // The entry's uncompressed bytes; an error if it is absent, too big or corrupt.
  Result<std::string> read(const std::string& name) const;

 private:
  ZipReader(struct zip* archive, std::string path) : zip_(archive), path_(std::move(path)) {}
  Status check_unique_names() const;
  struct zip* zip_;
  std::string path_;
};

}  // namespace flowline

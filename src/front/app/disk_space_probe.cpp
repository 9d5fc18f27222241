#include "front/app/disk_space_probe.hpp"

#include <sys/statvfs.h>

#include <utility>

namespace flowline {
namespace {

std::string kib(uint64_t bytes) { return std::to_string(bytes / 1024) + " KiB"; }

}  // namespace

DiskSpaceProbe::DiskSpaceProbe(std::vector<std::string> dirs, uint64_t least_free_bytes)
    : dirs_(std::move(dirs)), least_free_bytes_(least_free_bytes) {}

std::optional<std::string> DiskSpaceProbe::shortage() {
  for (const std::string& dir : dirs_) {
    struct statvfs st {};
    if (::statvfs(dir.c_str(), &st) != 0) continue;  // unreadable: the launch's error says why
    const uint64_t free_bytes = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
    if (free_bytes < least_free_bytes_)
      return "no space left on " + dir + " (" + kib(free_bytes) + " free)";
    if (st.f_files > 0 && st.f_favail == 0) return "no free inodes left on " + dir;
  }
  return std::nullopt;
}

}  // namespace flowline

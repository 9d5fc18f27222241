#pragma once
// The space probe of a local FlowLine: free bytes and inodes of the filesystems under its
// state and log directories, from statvfs.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/space_probe.hpp"

namespace flowline {

class DiskSpaceProbe final : public SpaceProbe {
 public:
  // Below `least_free_bytes` (or without a free inode) a directory counts as full: SQLite and
  // a run's log files need a few pages to start a run.
  explicit DiskSpaceProbe(std::vector<std::string> dirs, uint64_t least_free_bytes = 1 << 20);
  std::optional<std::string> shortage() override;

 private:
  std::vector<std::string> dirs_;
  uint64_t least_free_bytes_;
};

}  // namespace flowline

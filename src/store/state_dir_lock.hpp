#pragma once
// One FlowLine per state directory: an exclusive flock on <state-dir>/lock, held for the life
// of the process (the kernel drops it when the process dies, even by kill -9). The file holds
// the holder's pid so that the second instance can say who is in the way.
#include <memory>
#include <string>

#include "core/result.hpp"

namespace flowline {

class StateDirLock {
 public:
  static Result<std::unique_ptr<StateDirLock>> acquire(const std::string& state_dir);
  ~StateDirLock();
  StateDirLock(const StateDirLock&) = delete;
  StateDirLock& operator=(const StateDirLock&) = delete;

 private:
  explicit StateDirLock(int fd) : fd_(fd) {}
  int fd_;  // close-on-exec: runs must not inherit (and so keep) the lock
};

}  // namespace flowline

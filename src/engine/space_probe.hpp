#pragma once
// Whether the disks FlowLine writes to (its state and log directories) have room. A launch
// that fails on a full disk is the machine's fault, not the task's: the engine pauses dispatch
// instead of charging every queued task a failure (issue 14: a full disk failed a whole batch
// within seconds), and asks again until space returns.
#include <optional>
#include <string>

namespace flowline {

class SpaceProbe {
 public:
  virtual ~SpaceProbe() = default;
  // What is short ("no space left on /home/u/.flowline (12 KiB free)"), or nullopt when
  // every directory has room.
  virtual std::optional<std::string> shortage() = 0;
};

}  // namespace flowline

#pragma once
// Says when a GPU stops answering NVML (lost, or its memory unreadable) and when it answers
// again: once each, not at every sample (issue 14 item 4). Without it a lost GPU was silent:
// dispatch quietly left it alone and the only trace was `gpus` showing "error".
#include <map>
#include <string>
#include <vector>

#include "core/gpu_info.hpp"

namespace flowline {

class GpuTrouble {
 public:
  // The lines to say for a new sample of every GPU.
  std::vector<std::string> update(const std::vector<GpuInfo>& gpus);

 private:
  std::map<int, std::string> said_;  // GPU index → the trouble last said
};

}  // namespace flowline

#pragma once
// Where one run of a task can go right now, and if nowhere, why (DESIGN.md §4.6).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/gpu_info.hpp"
#include "core/wait_reason.hpp"

namespace flowline {

// One GPU as the scheduler sees it: NVML's view plus FlowLine's own knowledge.
struct GpuSlot {
  int index = 0;
  bool enabled = true;
  bool healthy = true;                   // NVML could read it, free and total are known
  int64_t total_mib = 0;
  int64_t usable_mib = 0;                // NVML free minus memory promised to live runs
};

enum class Verdict { kPlaced, kBusy, kInfeasible };

struct Placement {
  Verdict verdict = Verdict::kBusy;
  std::vector<int> gpus;  // in the order of `slots` (the user's GPU order)
  WaitReason wait;        // for kBusy / kInfeasible: what the task is waiting for, and why
};

struct PlacementRequest {
  int64_t gpus = 1;
  int64_t min_mem_mib = 0;
  std::map<int, bool> avoid;  // GPUs this task should not use now (recent OOM there)
};

// `slots` must already be in the user's preferred order.
Placement place(const PlacementRequest& request, const std::vector<GpuSlot>& slots);

}  // namespace flowline

#include "core/placement.hpp"

#include <algorithm>

namespace flowline {
namespace {

std::string mib(int64_t v) { return std::to_string(v) + " MiB"; }

// Infeasible means no future state of the machine can run the task: more GPUs than exist,
// or more memory than any GPU has in total.
bool infeasible(const PlacementRequest& request, const std::vector<GpuSlot>& slots,
                std::string* why) {
  int64_t big_enough = 0;
  int64_t known = 0;
  for (const auto& s : slots) {
    if (!s.healthy) continue;
    ++known;
    if (s.total_mib >= request.min_mem_mib) ++big_enough;
  }
  if (static_cast<int64_t>(slots.size()) < request.gpus) {
    *why = "needs " + std::to_string(request.gpus) + " GPUs, this machine has " +
           std::to_string(slots.size());
    return true;
  }
  if (known == static_cast<int64_t>(slots.size()) && big_enough < request.gpus) {
    *why = "needs " + mib(request.min_mem_mib) + " on each of " + std::to_string(request.gpus) +
           " GPUs; only " + std::to_string(big_enough) + " GPU(s) have that much in total";
    return true;
  }
  return false;
}

std::string busy_reason(const PlacementRequest& request, const std::vector<GpuSlot>& slots) {
  int64_t enabled = 0;
  int64_t best = -1;
  for (const auto& s : slots) {
    if (!s.enabled || !s.healthy) continue;
    ++enabled;
    best = std::max(best, s.usable_mib);
  }
  if (enabled < request.gpus)
    return "waiting for " + std::to_string(request.gpus) + " enabled GPUs (" +
           std::to_string(enabled) + " enabled)";
  return "waiting for " + mib(request.min_mem_mib) + " free on " +
         std::to_string(request.gpus) + " GPU(s) (most usable now: " + mib(best) + ")";
}

}  // namespace

Placement place(const PlacementRequest& request, const std::vector<GpuSlot>& slots) {
  Placement out;
  if (request.gpus <= 0) {
    out.verdict = Verdict::kPlaced;
    return out;
  }
  if (infeasible(request, slots, &out.why)) {
    out.verdict = Verdict::kInfeasible;
    return out;
  }
  for (const auto& s : slots) {
    if (!s.enabled || !s.healthy || s.usable_mib < request.min_mem_mib) continue;
    auto avoided = request.avoid.find(s.index);
    if (avoided != request.avoid.end() && avoided->second) continue;
    out.gpus.push_back(s.index);
    if (static_cast<int64_t>(out.gpus.size()) == request.gpus) {
      out.verdict = Verdict::kPlaced;
      return out;
    }
  }
  out.gpus.clear();
  out.verdict = Verdict::kBusy;
  out.why = busy_reason(request, slots);
  return out;
}

}  // namespace flowline

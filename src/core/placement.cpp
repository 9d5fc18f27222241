#include "core/placement.hpp"

#include <algorithm>

namespace flowline {
namespace {

std::string mib(int64_t v) { return std::to_string(v) + " MiB"; }

// Infeasible means no future state of the machine can run the task: more GPUs than exist,
// or more memory than any GPU has in total.
bool infeasible(const PlacementRequest& request, const std::vector<GpuSlot>& slots,
                WaitReason* wait) {
  int64_t big_enough = 0;
  int64_t known = 0;
  for (const auto& s : slots) {
    if (!s.healthy) continue;
    ++known;
    if (s.total_mib >= request.min_mem_mib) ++big_enough;
  }
  if (static_cast<int64_t>(slots.size()) < request.gpus) {
    *wait = {WaitKind::kInfeasible, "", request.min_mem_mib, request.gpus};
    wait->text = "needs " + std::to_string(request.gpus) + " GPUs, this machine has " +
           std::to_string(slots.size());
    return true;
  }
  if (known == static_cast<int64_t>(slots.size()) && big_enough < request.gpus) {
    *wait = {WaitKind::kInfeasible, "", request.min_mem_mib, request.gpus};
    wait->text = "needs " + mib(request.min_mem_mib) + " on each of " + std::to_string(request.gpus) +
           " GPUs; only " + std::to_string(big_enough) + " GPU(s) have that much in total";
    return true;
  }
  return false;
}

WaitReason busy_reason(const PlacementRequest& request, const std::vector<GpuSlot>& slots) {
  WaitReason wait{WaitKind::kMemory, "", request.min_mem_mib, request.gpus};
  for (const auto& s : slots) {
    if (!s.enabled || !s.healthy) continue;
    ++wait.gpus_on;
    wait.best_usable_mib = std::max(wait.best_usable_mib, s.usable_mib);
  }
  if (wait.gpus_on < request.gpus) {
    wait.kind = WaitKind::kGpusOff;
    wait.text = "waiting for " + std::to_string(request.gpus) + " enabled GPUs (" +
                std::to_string(wait.gpus_on) + " enabled)";
    return wait;
  }
  wait.text = "waiting for " + mib(request.min_mem_mib) + " free on " +
              std::to_string(request.gpus) + " GPU(s) (most usable now: " +
              mib(wait.best_usable_mib) + ")";
  return wait;
}

}  // namespace

Placement place(const PlacementRequest& request, const std::vector<GpuSlot>& slots) {
  Placement out;
  if (request.gpus <= 0) {
    out.verdict = Verdict::kPlaced;
    return out;
  }
  if (infeasible(request, slots, &out.wait)) {
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
  out.wait = busy_reason(request, slots);
  return out;
}

}  // namespace flowline

#include "engine/run_memory_tracker.hpp"

#include <algorithm>

namespace flowline {

void RunMemoryTracker::start(int64_t run_id, std::vector<int> gpus) {
  runs_[run_id].gpus = std::move(gpus);
}

void RunMemoryTracker::observe(Millis now, const std::vector<GpuInfo>& gpus,
                               const std::map<int64_t, int64_t>& run_of_session) {
  for (auto& [run_id, run] : runs_) observe_run(now, run, run_id, gpus, run_of_session);
}

void RunMemoryTracker::observe_run(Millis now, Tracked& run, int64_t run_id,
                                   const std::vector<GpuInfo>& gpus,
                                   const std::map<int64_t, int64_t>& run_of_session) {
  if (run.gpus.empty()) return;  // CPU-only: nothing to measure
  int64_t busiest = 0;
  bool seen = false;
  std::vector<MemoryHolder> others;
  for (const GpuInfo& gpu : gpus) {
    if (std::find(run.gpus.begin(), run.gpus.end(), gpu.index) == run.gpus.end()) continue;
    if (!gpu.processes) continue;  // NVML could not list them: this sample says nothing
    seen = true;
    int64_t mine = 0;
    for (const GpuProcess& p : *gpu.processes) {
      auto owner = p.session ? run_of_session.find(*p.session) : run_of_session.end();
      if (owner != run_of_session.end() && owner->second == run_id) {
        mine += p.used_memory_mib.value_or(0);
      } else if (p.used_memory_mib.value_or(0) > 0) {
        others.push_back({gpu.index, p.pid, p.user.value_or(""), p.name.value_or(""),
                          *p.used_memory_mib});
      }
    }
    busiest = std::max(busiest, mine);
  }
  if (!seen) return;
  RunMemory& m = run.memory;
  m.sampled = true;
  m.others = std::move(others);
  m.last_mib = busiest;
  if (busiest > 0) {
    m.peak_mib = std::max(m.peak_mib.value_or(0), busiest);
    run.trace.add(now, busiest);
  }
}

RunMemory RunMemoryTracker::finish(int64_t run_id) {
  auto it = runs_.find(run_id);
  if (it == runs_.end()) return {};
  RunMemory out = std::move(it->second.memory);
  out.series = it->second.trace.points();
  runs_.erase(it);
  return out;
}

std::optional<int64_t> RunMemoryTracker::peak_mib(int64_t run_id) const {
  auto it = runs_.find(run_id);
  return it == runs_.end() ? std::nullopt : it->second.memory.peak_mib;
}

std::vector<MemoryPoint> RunMemoryTracker::series(int64_t run_id) const {
  auto it = runs_.find(run_id);
  return it == runs_.end() ? std::vector<MemoryPoint>{} : it->second.trace.points();
}

}  // namespace flowline

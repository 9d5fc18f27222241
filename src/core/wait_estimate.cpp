#include "core/wait_estimate.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <queue>
#include <set>
#include <tuple>
#include <utility>

namespace flowline {
namespace {

constexpr Millis kNever = std::numeric_limits<Millis>::max();
// Launches the estimate follows; the tasks behind them get no estimate (a table of 100,000
// rows needing many runs each would otherwise cost the engine's thread for nothing useful).
constexpr size_t kMostLaunches = 200'000;

using MinHeap = std::priority_queue<Millis, std::vector<Millis>, std::greater<>>;

// An overrunning run is taken to end now: it cannot end in the past.
Millis expected_end(const RunningRun& run, const RunDurations& durations, Millis now) {
  std::optional<Millis> took = durations.expected(run.task_id, run.group);
  if (!took) return kNever;
  return std::max(now, run.started_ms + *took);
}

// When each of the --max slots is free: with R runs and M slots, the (R-M+1)-th end frees
// the first slot; slots nobody holds are free now.
MinHeap slot_times(std::vector<Millis> ends, int64_t max_running, Millis now) {
  std::sort(ends.begin(), ends.end());
  const auto slots = static_cast<size_t>(max_running);
  const size_t drop = ends.size() > slots ? ends.size() - slots : 0;
  MinHeap heap(std::greater<>(), std::vector<Millis>(ends.begin() + static_cast<std::ptrdiff_t>(drop), ends.end()));
  while (heap.size() < slots) heap.push(now);
  return heap;
}

// The earliest time enough GPUs have the memory a task needs, as running runs end.
class MemoryClock {
 public:
  MemoryClock(const WaitInputs& in, const std::vector<Millis>& ends) : now_(in.now) {
    for (const GpuSlot& g : in.gpus)
      if (g.enabled && g.healthy) usable_[g.index] = g.usable_mib;
    for (size_t i = 0; i < in.running.size(); ++i) {
      if (ends[i] == kNever) continue;
      for (int gpu : in.running[i].gpus) frees_.emplace_back(ends[i], gpu, in.running[i].frees_mib);
    }
    std::sort(frees_.begin(), frees_.end());
  }

  Millis ready_at(int64_t need_mib, int64_t gpus) {
    auto [cached, fresh] = cache_.try_emplace({need_mib, gpus}, kNever);
    if (fresh) cached->second = compute(need_mib, gpus);
    return cached->second;
  }

 private:
  Millis compute(int64_t need_mib, int64_t gpus) const {
    std::map<int, int64_t> usable = usable_;
    int64_t enough = 0;
    for (const auto& [gpu, mib] : usable) enough += mib >= need_mib;
    if (enough >= gpus) return now_;
    for (const auto& [at, gpu, mib] : frees_) {
      auto it = usable.find(gpu);
      if (it == usable.end()) continue;  // switched off: its memory is no use
      const bool had = it->second >= need_mib;
      it->second += mib;
      if (!had && it->second >= need_mib && ++enough >= gpus) return at;
    }
    return kNever;
  }

  Millis now_;
  std::map<int, int64_t> usable_;  // GPUs switched on and readable
  std::vector<std::tuple<Millis, int, int64_t>> frees_;  // (when, gpu, MiB), soonest first
  std::map<std::pair<int64_t, int64_t>, Millis> cache_;
};

// From when a task could take a slot, were one free.
Millis ready_at(const QueuedTask& q, MemoryClock& memory, Millis now) {
  switch (q.wait->kind) {
    case WaitKind::kNone:
    case WaitKind::kSlot:
    case WaitKind::kBuilding:
      return now;
    case WaitKind::kBackoff:
      return std::max(now, q.wait->until_ms);
    case WaitKind::kMemory:
      return memory.ready_at(q.wait->needs_mib, std::max<int64_t>(1, q.wait->gpus));
    case WaitKind::kGpusOff:
    case WaitKind::kStopped:
    case WaitKind::kInfeasible:
      return kNever;
  }
  return kNever;
}

}  // namespace

std::vector<WaitEstimate> estimate_waits(const WaitInputs& in, const RunDurations& durations) {
  std::vector<WaitEstimate> out(in.queue.size());
  std::vector<size_t> owner;  // launch -> its entry in in.queue, launches in dispatch order
  int64_t ahead = 0;
  for (size_t e = 0; e < in.queue.size(); ++e) {
    out[e].position = ahead + 1;
    const int64_t launches = std::max<int64_t>(1, in.queue[e].launches);
    ahead += launches;
    for (int64_t k = 0; k < launches && owner.size() < kMostLaunches; ++k) owner.push_back(e);
  }
  if (in.max_running < 1) return out;

  std::vector<Millis> ends;
  for (const RunningRun& r : in.running) ends.push_back(expected_end(r, durations, in.now));
  MinHeap slots = slot_times(ends, in.max_running, in.now);
  MemoryClock memory(in, ends);
  // Launches ready to take a slot (dispatch order), and those ready only later.
  std::set<size_t> ready;
  std::priority_queue<std::pair<Millis, size_t>, std::vector<std::pair<Millis, size_t>>,
                      std::greater<>>
      later;
  for (size_t l = 0; l < owner.size(); ++l) {
    const Millis at = ready_at(in.queue[owner[l]], memory, in.now);
    if (at <= in.now) ready.insert(l);
    else if (at != kNever) later.emplace(at, l);
  }
  // Each slot, as it frees, goes to the first task in dispatch order that is ready then,
  // as decide() would give it; a slot nobody is ready for stays free until someone is.
  while (!ready.empty() || !later.empty()) {
    const Millis t = slots.top();
    if (t == kNever) break;  // every slot is held by a run whose end nobody can tell
    while (!later.empty() && later.top().first <= t) {
      ready.insert(later.top().second);
      later.pop();
    }
    slots.pop();
    if (ready.empty()) {
      slots.push(later.top().first);
      continue;
    }
    const size_t launch = *ready.begin();
    ready.erase(ready.begin());
    const QueuedTask& q = in.queue[owner[launch]];
    WaitEstimate& estimate = out[owner[launch]];
    if (!estimate.expected_start_ms) estimate.expected_start_ms = t;
    std::optional<Millis> took = durations.expected(q.task_id, q.group);
    slots.push(took ? t + *took : kNever);
  }
  return out;
}

}  // namespace flowline

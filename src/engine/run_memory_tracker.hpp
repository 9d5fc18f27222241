#pragma once
// Follows the GPU memory of FlowLine's live runs through the GPU samples the engine already
// takes: which processes are a run's is known by their session (each run is one session).
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "core/gpu_info.hpp"
#include "core/run_memory.hpp"

namespace flowline {

class RunMemoryTracker {
 public:
  void start(int64_t run_id, std::vector<int> gpus);
  // One sample. `run_of_session`: the session of each live run, to its run id.
  void observe(Millis now, const std::vector<GpuInfo>& gpus,
               const std::map<int64_t, int64_t>& run_of_session);
  // What was measured of the run; it is forgotten.
  RunMemory finish(int64_t run_id);
  std::optional<int64_t> peak_mib(int64_t run_id) const;
  std::vector<MemoryPoint> series(int64_t run_id) const;

 private:
  struct Tracked {
    std::vector<int> gpus;
    RunMemory memory;
    MemoryTrace trace;
  };
  void observe_run(Millis now, Tracked& run, int64_t run_id, const std::vector<GpuInfo>& gpus,
                   const std::map<int64_t, int64_t>& run_of_session);

  std::map<int64_t, Tracked> runs_;
};

}  // namespace flowline

#pragma once
// The simulated GPUs' shared state: one small text file in a state directory, read by the
// simulated NVML driver (in every process that loads it) and changed by `flowline sim-job`,
// `flowline sim-ctl`, setup_sim_gpus and tests, always under an flock and by atomic rename.
//
// File format (`<dir>/gpus.state`), one record per line:
//   flowline-sim-state 1
//   gpu <index> <total_mib> <util|-1> <temp|-1> <power_w|-1> <limit_w> <uuid>   (-1 = auto)
//   alloc <pid> <gpu> <mib> [<start>]        a sim-job's memory; ignored once pid is gone
//                                            (start: its start time, so a reused pid is not it)
//   foreign <pid> <gpu> <mib|-1> <compute|graphics|both>   another user's process (-1 = N/A)
//   error <gpu|*> <nvml function|*> <nvmlReturn_t code>     injected NVML failure
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace flowline::sim {

inline constexpr const char* kSimGpuName = "FlowLine Simulated GPU";
inline constexpr int kAuto = -1;
inline constexpr int kAllGpus = -1;

struct SimGpu {
  int index = 0;
  int64_t total_mib = 0;
  int utilization = kAuto;  // auto: 0 when idle, 95 while any process holds memory
  int temperature = kAuto;  // auto: 35 idle, 72 busy
  int power_w = kAuto;      // auto: 20% of the limit idle, 80% busy
  int power_limit_w = 300;
  std::string uuid;
};

struct SimAllocation {
  int64_t pid = 0;
  int gpu = 0;
  int64_t mib = 0;
  uint64_t start = 0;  // /proc/<pid>/stat start time; 0: not checked
};

enum class SimProcessKind { kCompute, kGraphics, kBoth };

struct SimForeign {
  int64_t pid = 0;
  int gpu = 0;
  int64_t mib = 0;  // -1: NVML reports NVML_VALUE_NOT_AVAILABLE
  SimProcessKind kind = SimProcessKind::kCompute;
};

struct SimError {
  int gpu = kAllGpus;
  std::string function;  // an nvml* entry point name, or "*" (every call: a lost GPU)
  int code = 0;
};

struct SimState {
  std::vector<SimGpu> gpus;
  std::vector<SimAllocation> allocations;
  std::vector<SimForeign> foreign;
  std::vector<SimError> errors;
};

std::string state_file(const std::string& dir);
Result<SimState> parse_state(const std::string& text);
std::string format_state(const SimState& state);
Result<SimState> load_state(const std::string& dir);

// The start time (field 22 of /proc/<pid>/stat) of a live, non-zombie process.
std::optional<uint64_t> process_start_time(int64_t pid);
// True while the process exists, is not a zombie and (when `start` is set) started at `start`:
// a dead sim-job holds no memory, even after its pid was reused.
bool process_alive(int64_t pid, uint64_t start = 0);
// Memory held on `gpu` by live allocations and foreign processes.
int64_t used_mib(const SimState& state, int gpu);
// The code injected for `function` on `gpu`, or 0.
int injected_error(const SimState& state, int gpu, const std::string& function);

// Locks the directory, loads the state (empty when absent), drops allocations of exited
// processes, applies `change` and writes the result atomically.
Status update_state(const std::string& dir, const std::function<Status(SimState&)>& change);

}  // namespace flowline::sim

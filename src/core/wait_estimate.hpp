#pragma once
// Where each waiting task stands in the queue and when it may start: the running runs' ends,
// expected from how long earlier runs took (core/run_durations.hpp), freeing slots under
// --max and memory on their GPUs, handed in dispatch order to the tasks that wait.
//
// A simple estimate, honest about what it leaves out: runs end when their task's runs
// usually end (an overrunning run is taken to end now); a task held by memory is ready when
// enough runs on some GPUs have ended to free its need, counting neither other users'
// processes coming and going nor the memory of tasks started ahead of it in the estimate.
// Nothing learned yet (no run has ended), or a wait only the user ends (GPUs switched off,
// dispatch stopped): no estimate.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/clock.hpp"
#include "core/placement.hpp"
#include "core/run_durations.hpp"
#include "core/shared_value.hpp"
#include "core/wait_reason.hpp"

namespace flowline {

// A task that wants to start runs, in dispatch order.
struct QueuedTask {
  int64_t task_id = 0;
  int64_t launches = 1;  // runs it still wants to start; they go before the next task's
  // What holds it now (core/task_wait.hpp); shared, not copied: the queue may be 100,000 long.
  Shared<WaitReason> wait;
  SharedText group;      // its --mem-group key: runs of its group tell how long it takes
};

struct RunningRun {
  int64_t task_id = 0;
  Millis started_ms = 0;
  std::vector<int> gpus;
  int64_t frees_mib = 0;  // on each of its GPUs when it ends
  SharedText group;
};

struct WaitInputs {
  Millis now = 0;
  int64_t max_running = 1;
  std::vector<QueuedTask> queue;  // dispatch order
  std::vector<RunningRun> running;
  std::vector<GpuSlot> gpus;  // as placement sees them now
};

struct WaitEstimate {
  int64_t position = 0;  // 1 = next to start: 1 + the runs that start before it
  std::optional<Millis> expected_start_ms;
};

// One estimate per entry of inputs.queue, in its order.
std::vector<WaitEstimate> estimate_waits(const WaitInputs& inputs, const RunDurations& durations);

}  // namespace flowline

#pragma once
// An immutable picture of the engine that front ends read without locking the loop.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/gpu_info.hpp"
#include "core/run_memory.hpp"
#include "engine/engine_event.hpp"
#include "core/scheduler.hpp"
#include "engine/task_views.hpp"
#include "exec/executor.hpp"

namespace flowline {

struct RunView {
  int64_t run_id = 0;
  int64_t task_id = 0;
  std::string task_name;
  std::vector<int> gpus;
  Millis started_ms = 0;
  RunPlace place;  // where its executor runs it: a local session, or a Slurm job
  std::string command;
  std::string out_path;
  std::string err_path;
  // Its GPU memory as measured so far (peak on its busiest GPU, and over time).
  std::optional<int64_t> peak_mem_mib;
  std::vector<MemoryPoint> mem_series;
};


struct Counts {
  int64_t done = 0, running = 0, queued = 0, failed = 0, other = 0;
  int64_t runs_done = 0, runs_total = 0;  // successful runs so far / wanted overall
  int64_t runs_done_at_start = 0;          // of runs_done, those done before this session
};

struct EngineSnapshot {
  Millis taken_ms = 0;
  Millis started_ms = 0;
  TaskViews tasks;
  std::vector<RunView> runs;
  std::vector<GpuInfo> gpus;
  SchedulerSettings settings;
  std::string order;  // the --order / `order` keys in force; empty = the default order
  Counts counts;
  bool simulated = false;
  bool finished = false;
  // The median time of runs that ended well (recent ones): the ETA's basis; nullopt before any.
  std::optional<Millis> typical_run_ms;
  // Where runs' output goes (<run id>-<name>.out/.err): `logs` finds ended runs there.
  std::string log_dir;
  // Events told since this FlowLine started, by kind: launches, OOM requeues, failures…
  std::array<uint64_t, static_cast<size_t>(kLastEventKind) + 1> events_told{};
  // Why the table file's current version is not in force (the last good one is), or why
  // progress could not be written into it; "" when all is well.
  std::string table_unreadable;
  std::string table_unwritten;
  // Why dispatch is paused by the machine (a full disk), "" when it is not.
  std::string dispatch_paused;
};

}  // namespace flowline

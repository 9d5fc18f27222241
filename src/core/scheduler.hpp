#pragma once
// The scheduler's state machine: which task runs next, where, and what a run's end means.
// Pure: it is handed the time, GPU snapshots and events, and returns decisions.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/cow_chunks.hpp"
#include "core/gpu_info.hpp"
#include "core/learned_memory.hpp"
#include "core/placement.hpp"
#include "core/run_outcome.hpp"
#include "core/scheduler_settings.hpp"
#include "core/shared_value.hpp"
#include "core/task.hpp"
#include "core/wait_reason.hpp"

namespace flowline {

enum class TaskState : uint8_t { kQueued, kRunning, kBackoff, kDone, kFailed, kDropped, kInfeasible };
std::string_view task_state_name(TaskState s);

// One per task, 120 bytes: the fields are ordered so that the small ones share words (issue
// 11: 100,000 of them are most of a large table's memory).
struct TaskProgress {
  // Shared with the snapshots front ends read, so publishing the engine's state copies a
  // pointer per task, not its parameters (100,000 tasks: 30 MB and 8 ms per publish). Never
  // changed in place: an edit makes a new Task (edit_task), and old snapshots keep the old one.
  std::shared_ptr<const Task> task;
  Millis not_before = 0;     // backoff: no launch before this time
  // GPUs it ran out of memory on, and until when it keeps off them (a few at most).
  std::vector<std::pair<int, Millis>> avoid_gpu_until;
  int32_t live_runs = 0;
  int32_t failures = 0;      // real failures since the last success (against --retries)
  int32_t oom_requeues = 0;  // consecutive OOMs, for the backoff
  bool failed = false;
  bool dropped = false;
  // Its row left the table (or never was in it: a slot kept for an id that is not in use).
  // Never dispatched; its running runs finish and are recorded, credited to no row.
  bool removed = false;
  bool infeasible = false;
  SharedText last_error;
  // Its --mem-group key ("model=resnet"), kept so sizing does not build it on every decision.
  SharedText mem_group;
  // What held it at the last decision (busy or infeasible), with its numbers; equal reasons
  // share one object (Scheduler::set_waiting), as most waiting tasks wait for the same thing.
  Shared<WaitReason> wait;
  // Raised after an out-of-memory death, above min_mem; cleared when the row's min_mem or
  // gpus change or the user retries the task.
  std::optional<int64_t> raised_min_mem;
  // The most GPU memory any of its runs was measured to use on one GPU.
  std::optional<int64_t> peak_mem_mib;
};

// Every task's record, indexed by task id; published snapshots share it (core/cow_chunks.hpp).
using TaskRecords = CowChunks<TaskProgress>;

struct LiveRun {
  int64_t run_id = 0;
  int64_t task_id = 0;
  std::vector<int> gpus;
  int64_t min_mem_mib = 0;
  Millis started_ms = 0;
};

// What the engine measured of a run that died of GPU out-of-memory (core/run_memory.hpp).
struct OomFacts {
  std::optional<int64_t> peak_mib;  // its use on its busiest GPU before it died
  bool alone = false;               // seen on its GPUs with no other process holding memory
  int gpu = -1;                     // one of its GPUs, for the message
  int64_t gpu_total_mib = 0;        // that GPU's size
  int64_t largest_gpu_mib = 0;      // the largest GPU here; 0 when unknown
  // It, or another run of its --mem-group, was seen using more than this run asked for: it
  // died because it asked too little, not because the GPU was contended. Its next run, sized
  // by what was seen, may start at once and on any GPU.
  bool undersized = false;
};

struct LaunchDecision {
  int64_t task_id = 0;
  std::vector<int> gpus;  // chosen here; empty when the executor places GPUs (gpu_count)
  int64_t min_mem_mib = 0;
  int64_t run_number = 0;  // the run_num this run produces when it succeeds
  int64_t gpu_count = 0;   // how many GPUs the run gets: gpus.size(), or the executor's to find
};

// A GPU as the user's order sees it (free memory = usable memory) and as placement sees it.
struct RankedGpu {
  GpuInfo view;
  GpuSlot slot;
};

// MiB that NVML shows a live run using on a GPU, keyed by (run_id, gpu index).
using RunUsage = std::map<std::pair<int64_t, int>, int64_t>;
// Strict weak order over GPUs: the user's --order (or the C++ API's comparator).
using GpuLess = std::function<bool(const GpuInfo&, const GpuInfo&)>;

// What a run of the task asks for now and why, as Scheduler::memory_requirement says, from
// the settings and group peaks given: a snapshot sizes its views with the ones it holds.
MemRequirement memory_requirement(const TaskProgress& p, const SchedulerSettings& settings,
                                  const GroupPeaks& group_peaks);

class Scheduler {
 public:
  Scheduler(std::vector<Task> tasks, SchedulerSettings settings);

  // Launches to make now. Call on every event; returns at most what --max allows.
  std::vector<LaunchDecision> decide(Millis now, const std::vector<GpuInfo>& gpus,
                                     const RunUsage& usage, const GpuLess& order);
  void on_launched(int64_t run_id, const LaunchDecision& d, Millis now);
  // Undoes on_launched for a run that never started, without counting anything against its
  // task: a placeholder held while a slow command builder ran (engine/build_jobs.hpp).
  void forget_launch(int64_t run_id);
  void on_launch_failed(const LaunchDecision& d, const std::string& error, Millis now);
  void on_exit(int64_t run_id, RunOutcome outcome, const std::string& message, Millis now,
               const OomFacts& oom = {});

  // Task commands from the front ends. An Error-free bool: false when the id is unknown.
  bool drop(int64_t task_id);
  bool retry(int64_t task_id);  // a failed or dropped task goes back to the queue

  // The live table (DESIGN.md §2). Tasks are kept by their stable id (Task::id); a removed
  // task keeps its slot, so its live runs are still known, and comes back if its row does.
  // Adds the task, or brings back the removed task with its id (its live runs kept).
  void put_task(Task task);
  void put_tasks(std::vector<Task> tasks);  // the same for many, sorting once
  bool remove_task(int64_t task_id);  // false when unknown or removed already
  // New values of the columns that say how a task runs (need_run_num, priority, min_mem,
  // gpus, timeout) and its label and row. Its run_num is the caller's: set_run_num().
  void update_task(const Task& fields);
  void set_run_num(int64_t task_id, int64_t run_num);
  // A run of the task was measured to use `mib` on its busiest GPU.
  void note_peak(int64_t task_id, int64_t mib);
  // The most a run of --mem-group `group` was measured to use; nullopt before any.
  std::optional<int64_t> group_peak(const std::string& group) const {
    return group_peaks_.peak(group);
  }
  // Known and in the table now.
  bool has_task(int64_t task_id) const {
    return task_id >= 0 && task_id < static_cast<int64_t>(tasks_.size()) &&
           !tasks_[task_id].removed;
  }
  // Known at all (in the table or removed with runs that may still live).
  bool knows_task(int64_t task_id) const {
    return task_id >= 0 && task_id < static_cast<int64_t>(tasks_.size());
  }

  // The earliest time a backoff ends, for the engine's timer.
  std::optional<Millis> next_wakeup(Millis now) const;
  // Nothing queued, running or waiting: every task done, failed, dropped or infeasible.
  bool finished() const;
  bool all_done() const;  // every task done (or dropped by the user)

  static TaskState state_of(const TaskProgress& p, Millis now);
  // Grows whenever any task's state, counts, waiting reason or error may have changed (time
  // passing a backoff aside): a front end's view of the tasks is still true while it is equal.
  uint64_t version() const { return version_; }
  // Copying it is cheap and the copy never changes: what a snapshot of the tasks holds.
  const TaskRecords& tasks() const { return tasks_; }
  const std::map<int64_t, LiveRun>& live_runs() const { return live_; }
  // MiB a run of `t` needs free on each of its GPUs: its own min_mem, else the global setting.
  int64_t min_mem_of(const Task& t) const {
    return t.min_mem.value_or(settings_.default_min_mem_mib);
  }
  // Sized from measurement (`auto` in its row, or blank under --min-mem auto).
  bool learns_memory(const Task& t) const {
    return t.min_mem_auto || (settings_.min_mem_auto && !t.min_mem);
  }
  // What a run of this task asks for now and why: learned from measured runs, its min_mem
  // or the global setting, never below what out-of-memory deaths raised.
  MemRequirement memory_requirement(const TaskProgress& p) const;
  // The most runs of each --mem-group used: with the settings, what memory_requirement needs.
  const GroupPeaks& group_peaks() const { return group_peaks_; }
  int64_t requirement_of(const TaskProgress& p) const { return memory_requirement(p).mib; }
  SchedulerSettings& settings() { return settings_; }
  const SchedulerSettings& settings() const { return settings_; }
  // Task indices (= ids) in the order decide() offers them places, for the queue's positions.
  const std::vector<size_t>& dispatch_order() {
    resort_if_order_changed();
    return dispatch_order_;
  }
  // Each GPU as placement sees it now (usable = free less what live runs may still take).
  std::vector<GpuSlot> usable_gpus(const std::vector<GpuInfo>& gpus, const RunUsage& usage) const;

 private:
  std::vector<RankedGpu> make_slots(const std::vector<GpuInfo>& gpus,
                                    const RunUsage& usage) const;
  static std::vector<GpuSlot> ordered_slots(std::vector<RankedGpu>& ranked, const GpuLess& order);
  void put_at_id(Task task);  // at tasks_[task.id], holes filled with removed placeholders
  bool wants_launch(const TaskProgress& p, Millis now) const;
  void sort_dispatch_order();
  bool dispatches_before(size_t a, size_t b) const;  // the dispatch order's comparison
  void resort_if_order_changed();
  int64_t memory_demand(const Task& t) const;  // MiB over all its GPUs, for --pack
  void requeue_after(TaskProgress& p, Millis delay, Millis now);
  void set_waiting(size_t task, const WaitReason& wait);
  Shared<WaitReason> interned(const WaitReason& wait);
  SharedText interned_group(std::string group);
  void count_failure(TaskProgress& p, const std::string& error, Millis now);
  void after_out_of_memory(TaskProgress& p, const LiveRun& run, const std::string& message,
                           Millis now, const OomFacts& oom);

  // Indexed by task id; ids not in use are removed placeholders. Changed through mut() only,
  // so that snapshots holding a chunk keep it as it was.
  TaskRecords tasks_;
  uint64_t version_ = 0;
  struct WakeupCache {
    bool computed = false;
    uint64_t version = 0;
    Millis asked_at = 0;  // the earliest future time as seen from then
    std::optional<Millis> at;
  };
  mutable WakeupCache wakeup_cache_;
  struct FinishedCache {
    bool computed = false;
    uint64_t version = 0;
    bool value = false;
  };
  mutable FinishedCache finished_cache_;  // finished() walks every task: once per version
  // Indices into tasks_, higher priority first, then (with --pack) larger memory demand, then
  // table order. Sorted when tasks are added or the settings it depends on change, not on
  // every decide() (called after every event).
  std::vector<size_t> dispatch_order_;
  bool order_stale_ = false;  // a task came or changed its priority or demand since sorting
  struct OrderKey {
    bool pack = false;
    int64_t default_min_mem = 0;
    bool min_mem_auto = false;
    bool operator==(const OrderKey&) const = default;
  } sorted_for_;
  OrderKey order_key() const {
    return {settings_.pack_largest_first, settings_.default_min_mem_mib, settings_.min_mem_auto};
  }
  std::map<int64_t, LiveRun> live_;
  GroupPeaks group_peaks_;  // --mem-group: the most any run of each group used
  // The reasons given lately: a pass over 100,000 waiting tasks finds a handful of distinct
  // ones, and each task then holds a pointer to one of them.
  std::array<Shared<WaitReason>, 8> recent_waits_;
  size_t next_recent_wait_ = 0;
  std::map<std::string, SharedText, std::less<>> groups_;  // one copy of each group's name
  SchedulerSettings settings_;
};

}  // namespace flowline

#include "core/scheduler.hpp"

#include <algorithm>
#include <numeric>

#include "core/run_memory.hpp"

namespace flowline {
namespace {

Millis backoff(Millis base, Millis cap, int64_t n) {
  Millis delay = base;
  for (int64_t i = 1; i < n && delay < cap; ++i) delay *= 2;
  return std::min(delay, cap);
}

// What 100,000 records cost is most of a large table's memory (issue 11): keep it in sight.
static_assert(sizeof(void*) != 8 || sizeof(TaskProgress) <= 120);

TaskProgress progress_of(Task t) {
  TaskProgress p;
  p.task = std::make_shared<const Task>(std::move(t));
  return p;
}

// Changes a task copy-on-write: snapshots already published keep the version they showed.
template <class Edit>
void edit_task(TaskProgress& p, Edit edit) {
  auto changed = std::make_shared<Task>(*p.task);
  edit(*changed);
  p.task = std::move(changed);
}

void avoid_gpu(TaskProgress& p, int gpu, Millis until) {
  for (auto& [g, t] : p.avoid_gpu_until)
    if (g == gpu) {
      t = until;
      return;
    }
  p.avoid_gpu_until.emplace_back(gpu, until);
}

}  // namespace

std::string_view task_state_name(TaskState s) {
  switch (s) {
    case TaskState::kQueued: return "queued";
    case TaskState::kRunning: return "running";
    case TaskState::kBackoff: return "backoff";
    case TaskState::kDone: return "done";
    case TaskState::kFailed: return "failed";
    case TaskState::kDropped: return "dropped";
    case TaskState::kInfeasible: return "infeasible";
  }
  return "unknown";
}

Scheduler::Scheduler(std::vector<Task> tasks, SchedulerSettings settings)
    : settings_(std::move(settings)) {
  for (auto& t : tasks) put_at_id(std::move(t));
  sort_dispatch_order();
}

void Scheduler::put_at_id(Task task) {
  ++version_;
  const auto id = static_cast<size_t>(task.id);
  while (tasks_.size() <= id) {
    Task placeholder;
    placeholder.id = static_cast<int64_t>(tasks_.size());
    placeholder.need_run_num = 0;
    TaskProgress hole = progress_of(std::move(placeholder));
    hole.removed = true;
    tasks_.push_back(std::move(hole));
  }
  TaskProgress& p = tasks_.mut(id);
  const int32_t live = p.live_runs;
  const std::optional<int64_t> peak = p.peak_mem_mib;
  p = progress_of(std::move(task));
  p.live_runs = live;  // runs of a task that left the table and came back are its own
  p.peak_mem_mib = peak;
  if (!settings_.mem_group_columns.empty())
    p.mem_group = interned_group(memory_group_of(*p.task, settings_.mem_group_columns));
}

void Scheduler::put_task(Task task) {
  put_at_id(std::move(task));
  order_stale_ = true;
}

// A few rows added to a large table are placed into the dispatch order where they belong
// instead of sorting every task again (a 100,000-row table: ~20 ms on the engine's thread).
void Scheduler::put_tasks(std::vector<Task> tasks) {
  constexpr size_t kInsertAtMost = 64;
  const bool insert = !order_stale_ && tasks.size() <= kInsertAtMost && sorted_for_ == order_key();
  for (Task& t : tasks) {
    const auto id = static_cast<size_t>(t.id);
    const bool known = id < tasks_.size() && !tasks_[id].removed;
    put_at_id(std::move(t));
    if (!insert || known) {
      order_stale_ = true;
      continue;
    }
    auto at = std::upper_bound(dispatch_order_.begin(), dispatch_order_.end(), id,
                               [&](size_t a, size_t b) { return dispatches_before(a, b); });
    dispatch_order_.insert(at, id);
  }
}

bool Scheduler::remove_task(int64_t task_id) {
  ++version_;
  if (!has_task(task_id)) return false;
  tasks_.mut(task_id).removed = true;
  order_stale_ = true;
  return true;
}

void Scheduler::update_task(const Task& fields) {
  ++version_;
  if (!knows_task(fields.id)) return;
  TaskProgress& p = tasks_.mut(fields.id);
  const Task& old = *p.task;
  const bool new_demand = old.gpus != fields.gpus || old.min_mem != fields.min_mem ||
                          old.min_mem_auto != fields.min_mem_auto;
  const bool resort = new_demand || old.priority != fields.priority || old.row != fields.row;
  edit_task(p, [&](Task& t) {
    t.need_run_num = fields.need_run_num;
    t.priority = fields.priority;
    t.min_mem = fields.min_mem;
    t.min_mem_auto = fields.min_mem_auto;
    t.gpus = fields.gpus;
    t.timeout_ms = fields.timeout_ms;
    t.name = fields.name;
    t.row = fields.row;
  });
  // A new memory need or GPU count may fit where the old one could not; the user's new
  // min_mem replaces what OOM deaths raised.
  if (new_demand) p.infeasible = false, p.raised_min_mem.reset();
  if (resort) order_stale_ = true;
}

void Scheduler::set_run_num(int64_t task_id, int64_t run_num) {
  ++version_;
  if (knows_task(task_id)) edit_task(tasks_.mut(task_id), [&](Task& t) { t.run_num = run_num; });
}

void Scheduler::note_peak(int64_t task_id, int64_t mib) {
  if (!knows_task(task_id)) return;
  const TaskProgress& p = tasks_[task_id];
  const bool group_rose = group_peaks_.note(p.mem_group, mib);
  // A group's new peak changes what its other tasks ask for, and --pack's order with it.
  if (group_rose) ++version_, order_stale_ = order_stale_ || settings_.pack_largest_first;
  if (p.peak_mem_mib && *p.peak_mem_mib >= mib) return;
  tasks_.mut(task_id).peak_mem_mib = mib;
  if (learns_memory(*tasks_[task_id].task) && settings_.pack_largest_first) order_stale_ = true;
  ++version_;
}

MemRequirement Scheduler::memory_requirement(const TaskProgress& p) const {
  return flowline::memory_requirement(p, settings_, group_peaks_);
}

MemRequirement memory_requirement(const TaskProgress& p, const SchedulerSettings& settings,
                                  const GroupPeaks& group_peaks) {
  const Task& t = *p.task;
  MemFacts f;
  f.learns = t.min_mem_auto || (settings.min_mem_auto && !t.min_mem);  // learns_memory()
  f.explicit_mib = t.min_mem;
  f.global_mib = settings.default_min_mem_mib;
  f.raised_mib = p.raised_min_mem;
  f.margin_percent = settings.memory_margin_percent;
  f.margin_learned = settings.memory_margin_learned;
  if (f.learns) {
    f.own_peak_mib = p.peak_mem_mib;
    f.group = p.mem_group;
    if (auto g = group_peaks.memory(p.mem_group)) {
      f.group_peak_mib = g->peak_mib;
      f.group_least_mib = g->least_mib;
      f.group_runs = g->runs;
    }
  }
  return size_memory(f);
}

TaskState Scheduler::state_of(const TaskProgress& p, Millis now) {
  if (p.live_runs > 0) return TaskState::kRunning;
  if (p.dropped || p.removed) return TaskState::kDropped;
  if (p.task->remaining_runs() == 0) return TaskState::kDone;
  if (p.failed) return TaskState::kFailed;
  if (p.infeasible) return TaskState::kInfeasible;
  if (p.not_before > now) return TaskState::kBackoff;
  return TaskState::kQueued;
}

bool Scheduler::wants_launch(const TaskProgress& p, Millis now) const {
  return !p.removed && !p.dropped && !p.failed && p.not_before <= now &&
         p.task->remaining_runs() > p.live_runs;
}

int64_t Scheduler::memory_demand(const Task& t) const {
  if (learns_memory(t) && knows_task(t.id)) return t.gpus * requirement_of(tasks_[t.id]);
  return t.gpus * min_mem_of(t);
}

// Higher priority first, then (--pack) larger memory demand, then the order of the rows in
// the file as it is now (ids follow the order tasks were first seen, not where rows are).
// Tasks out of the table are left out.
void Scheduler::sort_dispatch_order() {
  order_stale_ = false;
  sorted_for_ = order_key();
  dispatch_order_.clear();
  for (size_t i = 0; i < tasks_.size(); ++i)
    if (!tasks_[i].removed) dispatch_order_.push_back(i);
  std::stable_sort(dispatch_order_.begin(), dispatch_order_.end(),
                   [&](size_t a, size_t b) { return dispatches_before(a, b); });
}

bool Scheduler::dispatches_before(size_t a, size_t b) const {
  const Task& x = *tasks_[a].task;
  const Task& y = *tasks_[b].task;
  if (x.priority != y.priority) return x.priority > y.priority;
  if (sorted_for_.pack && memory_demand(x) != memory_demand(y))
    return memory_demand(x) > memory_demand(y);
  if (x.row != y.row) return x.row < y.row;
  return a < b;
}

// `min <MiB>` and `min auto` change the demand of every task without a min_mem of its own.
void Scheduler::resort_if_order_changed() {
  if (order_stale_ || !(sorted_for_ == order_key())) sort_dispatch_order();
}

// Usable memory = NVML free minus what live runs may still grow into (DESIGN.md §3): a run
// that has not allocated yet still owns its min_mem. The user's order sees usable memory as
// free memory, so promised memory steers placement too.
std::vector<RankedGpu> Scheduler::make_slots(const std::vector<GpuInfo>& gpus,
                                             const RunUsage& usage) const {
  std::vector<RankedGpu> ranked;
  for (const GpuInfo& g : gpus) {
    RankedGpu r{g, GpuSlot{}};
    GpuSlot& s = r.slot;
    s.index = g.index;
    s.enabled = !settings_.disabled_gpus.count(g.index);
    s.healthy = !g.error && g.free_memory_mib && g.total_memory_mib;
    s.total_mib = g.total_memory_mib.value_or(0);
    s.usable_mib = g.free_memory_mib.value_or(0);
    for (const auto& [id, run] : live_) {
      if (std::find(run.gpus.begin(), run.gpus.end(), g.index) == run.gpus.end()) continue;
      auto used = usage.find({id, g.index});
      int64_t shown = used == usage.end() ? 0 : used->second;
      s.usable_mib -= std::max<int64_t>(0, run.min_mem_mib - shown);
    }
    if (r.view.free_memory_mib) r.view.free_memory_mib = s.usable_mib;
    ranked.push_back(std::move(r));
  }
  return ranked;
}

// The slots in the user's order, re-ranked after every placement of one decision so that
// `free_memory desc` spreads runs instead of stacking them on the first GPU.
std::vector<GpuSlot> Scheduler::ordered_slots(std::vector<RankedGpu>& ranked,
                                              const GpuLess& order) {
  if (order)
    std::stable_sort(ranked.begin(), ranked.end(), [&](const RankedGpu& a, const RankedGpu& b) {
      return order(a.view, b.view);
    });
  std::vector<GpuSlot> slots;
  for (const auto& r : ranked) slots.push_back(r.slot);
  return slots;
}

// Most passes find every waiting task waiting for the same reason as before: leaving those
// alone keeps version() unchanged, so the engine need not rebuild its 100,000 task views.
void Scheduler::set_waiting(size_t task, const WaitReason& wait) {
  const bool infeasible = wait.kind == WaitKind::kInfeasible;
  if (tasks_[task].infeasible == infeasible && tasks_[task].wait == wait) return;
  TaskProgress& p = tasks_.mut(task);
  p.infeasible = infeasible;
  p.wait = interned(wait);
  ++version_;
}

Shared<WaitReason> Scheduler::interned(const WaitReason& wait) {
  if (wait == WaitReason{}) return {};
  for (const Shared<WaitReason>& recent : recent_waits_)
    if (recent == wait) return recent;
  Shared<WaitReason>& slot = recent_waits_[next_recent_wait_++ % recent_waits_.size()];
  slot = Shared<WaitReason>(wait);
  return slot;
}

SharedText Scheduler::interned_group(std::string group) {
  if (group.empty()) return {};
  auto it = groups_.find(group);
  if (it == groups_.end()) it = groups_.emplace(group, SharedText(group)).first;
  return it->second;
}

std::vector<GpuSlot> Scheduler::usable_gpus(const std::vector<GpuInfo>& gpus,
                                            const RunUsage& usage) const {
  std::vector<GpuSlot> out;
  for (const RankedGpu& r : make_slots(gpus, usage)) out.push_back(r.slot);
  return out;
}

std::vector<LaunchDecision> Scheduler::decide(Millis now, const std::vector<GpuInfo>& gpus,
                                              const RunUsage& usage, const GpuLess& order) {
  std::vector<LaunchDecision> out;
  resort_if_order_changed();
  std::vector<RankedGpu> ranked = make_slots(gpus, usage);
  std::vector<GpuSlot> slots = ordered_slots(ranked, order);
  int64_t budget = settings_.max_running - static_cast<int64_t>(live_.size());
  WaitReason no_slot;  // the same for every task held back by --max, built once
  for (size_t i : dispatch_order_) {
    // A task keeps asking while it has runs to go; several runs of one task may run at once.
    // Read again after each change: a change may have moved the record to a copied chunk.
    while (wants_launch(tasks_[i], now) && settings_.dispatching) {
      const TaskProgress& p = tasks_[i];
      PlacementRequest req;
      req.gpus = p.task->gpus;
      req.min_mem_mib = requirement_of(p);
      for (const auto& [gpu, until] : p.avoid_gpu_until) req.avoid[gpu] = until > now;
      Placement placed = settings_.executor_places_gpus ? Placement{Verdict::kPlaced, {}, {}}
                                                        : place(req, slots);
      if (placed.verdict != Verdict::kPlaced) {
        set_waiting(i, placed.wait);
        break;
      }
      if (budget <= 0) {
        if (no_slot.text.empty()) {
          no_slot.kind = WaitKind::kSlot;
          no_slot.max_running = settings_.max_running;
          no_slot.text =
              "waiting for a free slot (--max " + std::to_string(settings_.max_running) + ")";
        }
        set_waiting(i, no_slot);
        break;
      }
      set_waiting(i, WaitReason{});
      for (auto& r : ranked) {
        if (!std::count(placed.gpus.begin(), placed.gpus.end(), r.slot.index)) continue;
        r.slot.usable_mib -= req.min_mem_mib;
        if (r.view.free_memory_mib) r.view.free_memory_mib = r.slot.usable_mib;
      }
      if (!placed.gpus.empty()) slots = ordered_slots(ranked, order);
      --budget;
      TaskProgress& launching = tasks_.mut(i);
      ++launching.live_runs;  // provisional until on_launched/on_launch_failed
      out.push_back({launching.task->id, placed.gpus, req.min_mem_mib,
                     launching.task->run_num + launching.live_runs, req.gpus});
    }
  }
  // Provisional counts are settled by on_launched/on_launch_failed; undo them here so the
  // bookkeeping has one owner.
  for (const auto& d : out) --tasks_.mut(d.task_id).live_runs;
  return out;
}

void Scheduler::on_launched(int64_t run_id, const LaunchDecision& d, Millis now) {
  ++version_;
  live_[run_id] = LiveRun{run_id, d.task_id, d.gpus, d.min_mem_mib, now};
  ++tasks_.mut(d.task_id).live_runs;
}

void Scheduler::forget_launch(int64_t run_id) {
  ++version_;
  auto it = live_.find(run_id);
  if (it == live_.end()) return;
  --tasks_.mut(it->second.task_id).live_runs;
  live_.erase(it);
}

void Scheduler::on_launch_failed(const LaunchDecision& d, const std::string& error, Millis now) {
  ++version_;
  count_failure(tasks_.mut(d.task_id), error, now);
}

// A real failure: retried with backoff until --retries is used up, then the task has failed.
// An OOM is retried where the task fits, asking for more each time, until it cannot fit
// anywhere: then it fails, so that an unattended --batch ends.
void Scheduler::after_out_of_memory(TaskProgress& p, const LiveRun& run, const std::string& message,
                                    Millis now, const OomFacts& oom) {
  ++p.oom_requeues;
  p.last_error = message;
  constexpr int64_t kRoundMib = 100;
  const int64_t before = requirement_of(p);
  int64_t raised = before + before / 2;
  if (oom.peak_mib)
    raised = std::max(raised, *oom.peak_mib * (100 + settings_.memory_margin_percent) / 100);
  raised = (raised + kRoundMib - 1) / kRoundMib * kRoundMib;
  p.raised_min_mem = raised;
  if (oom.alone) {
    p.failed = true;
    p.last_error = message + "; out of memory even alone on GPU " + std::to_string(oom.gpu) +
                   " (" + with_thousands(oom.gpu_total_mib) +
                   " MiB): it needs more than any GPU here has";
    return;
  }
  if (oom.largest_gpu_mib > 0 && raised > oom.largest_gpu_mib) {
    p.failed = true;
    p.last_error = message + "; after " + std::to_string(p.oom_requeues) +
                   " out-of-memory deaths it needs " + with_thousands(raised) +
                   " MiB free, more than the largest GPU here (" +
                   with_thousands(oom.largest_gpu_mib) + " MiB)";
    return;
  }
  if (oom.undersized) {
    requeue_after(p, settings_.retry_backoff_base_ms, now);
    return;
  }
  Millis delay = backoff(settings_.oom_backoff_base_ms, settings_.oom_backoff_max_ms,
                         p.oom_requeues);
  // Keep off that GPU for a few backoffs: another GPU may have room sooner.
  for (int g : run.gpus) avoid_gpu(p, g, now + settings_.oom_avoid_backoffs * delay);
  requeue_after(p, delay, now);
}

void Scheduler::count_failure(TaskProgress& p, const std::string& error, Millis now) {
  p.last_error = error;
  ++p.failures;
  if (p.failures > settings_.retries) {
    p.failed = true;
    return;
  }
  requeue_after(p, backoff(settings_.retry_backoff_base_ms, settings_.retry_backoff_max_ms,
                           p.failures),
                now);
}

void Scheduler::requeue_after(TaskProgress& p, Millis delay, Millis now) {
  p.not_before = std::max(p.not_before, now + delay);
}

void Scheduler::on_exit(int64_t run_id, RunOutcome outcome, const std::string& message,
                        Millis now, const OomFacts& oom) {
  ++version_;
  auto it = live_.find(run_id);
  if (it == live_.end()) return;  // already settled (e.g. reported twice after a restart)
  LiveRun run = it->second;
  live_.erase(it);
  TaskProgress& p = tasks_.mut(run.task_id);
  --p.live_runs;
  switch (outcome) {
    case RunOutcome::kSucceeded:
      edit_task(p, [](Task& t) { ++t.run_num; });
      p.failures = 0;
      p.oom_requeues = 0;
      return;
    case RunOutcome::kOutOfMemory:
      after_out_of_memory(p, run, message, now, oom);
      return;
    case RunOutcome::kKilled:
    case RunOutcome::kLost:
      if (!message.empty()) p.last_error = message;
      return;
    case RunOutcome::kFailed:
    case RunOutcome::kTimedOut:
      count_failure(p, message, now);
      return;
  }
}

bool Scheduler::drop(int64_t task_id) {
  ++version_;
  if (!has_task(task_id)) return false;
  tasks_.mut(task_id).dropped = true;
  return true;
}

bool Scheduler::retry(int64_t task_id) {
  ++version_;
  if (!has_task(task_id)) return false;
  TaskProgress& p = tasks_.mut(task_id);
  p.dropped = p.failed = p.infeasible = false;
  p.failures = p.oom_requeues = 0;
  p.not_before = 0;
  p.avoid_gpu_until.clear();
  p.raised_min_mem.reset();
  return true;
}


std::optional<Millis> Scheduler::next_wakeup(Millis now) const {
  // Unchanged tasks keep their earliest future time: an idle engine with 100,000 tasks need
  // not walk them all on every wake-up.
  WakeupCache& cache = wakeup_cache_;
  if (cache.computed && cache.version == version_ && now >= cache.asked_at &&
      (!cache.at || *cache.at > now))
    return cache.at;
  std::optional<Millis> next;
  auto consider = [&](Millis t) {
    if (t > now && (!next || t < *next)) next = t;
  };
  for (const auto& p : tasks_) {
    if (p.removed || p.dropped || p.failed || p.task->remaining_runs() <= p.live_runs) continue;
    consider(p.not_before);
    for (const auto& [gpu, until] : p.avoid_gpu_until) consider(until);
  }
  cache = {true, version_, now, next};
  return next;
}

bool Scheduler::finished() const {
  if (finished_cache_.version == version_ && finished_cache_.computed) return finished_cache_.value;
  bool finished = live_.empty();
  for (size_t i = 0; finished && i < tasks_.size(); ++i) {
    const TaskProgress& p = tasks_[i];
    if (p.removed || p.dropped || p.failed || p.infeasible) continue;
    if (p.task->remaining_runs() > 0) finished = false;
  }
  finished_cache_ = {true, version_, finished};
  return finished;
}

bool Scheduler::all_done() const {
  for (const auto& p : tasks_)
    if (!p.removed && !p.dropped && p.task->remaining_runs() > 0) return false;
  return live_.empty();
}

}  // namespace flowline

// Why a task waits, and until when (issue 13): the queue as decide() walks it, handed with
// the running runs and the GPUs to the estimate (core/wait_estimate.hpp), and the run
// durations that estimate learns from.
#include <algorithm>

#include "core/task_wait.hpp"
#include "engine/engine.hpp"

namespace flowline {

// The views show what holds a task, which also depends on settings a command changes
// without touching any task (dispatch, --max, GPUs on/off).
bool Engine::task_views_current(Millis now) const {
  const TaskViewCache& cache = task_views_;
  const SchedulerSettings& s = scheduler_.settings();
  return cache.built && cache.version == scheduler_.version() && now < cache.valid_until &&
         cache.dispatching == s.dispatching && cache.max_running == s.max_running &&
         cache.disabled_gpus == s.disabled_gpus;
}

QueueEstimates Engine::queue_estimates(Millis now) {
  const auto& tasks = scheduler_.tasks();
  WaitInputs in;
  in.now = now;
  in.max_running = scheduler_.settings().max_running;
  std::vector<size_t> entry_of;  // in.queue's entries' task indices
  for (size_t i : scheduler_.dispatch_order()) {
    const TaskProgress& p = tasks[i];
    const int64_t launches = p.task->remaining_runs() - p.live_runs;
    if (p.removed || p.dropped || p.failed || p.infeasible || launches <= 0) continue;
    in.queue.push_back({p.task->id, launches,
                        current_wait(p, scheduler_.state_of(p, now), scheduler_.settings()),
                        p.mem_group});
    entry_of.push_back(i);
  }
  auto gpus = parts_.gpus->latest();
  const RunUsage usage = run_usage(*gpus);
  in.gpus = scheduler_.usable_gpus(*gpus, usage);
  for (const auto& [run_id, run] : scheduler_.live_runs()) {
    // Ending, it gives back what it holds now or was promised, whichever is more.
    int64_t frees = run.min_mem_mib;
    for (int gpu : run.gpus) {
      auto used = usage.find({run_id, gpu});
      if (used != usage.end()) frees = std::max(frees, used->second);
    }
    in.running.push_back({run.task_id, run.started_ms, run.gpus, frees, group_of(run.task_id)});
  }
  std::vector<WaitEstimate> estimates = estimate_waits(in, durations_);
  QueueEstimates by_task;
  by_task.resize(tasks.size());
  for (size_t e = 0; e < estimates.size(); ++e)
    by_task.set(entry_of[e], estimates[e].position, estimates[e].expected_start_ms);
  return by_task;
}

void Engine::learn_duration(int64_t task_id, Millis started_ms, RunOutcome outcome) {
  if (outcome != RunOutcome::kSucceeded) return;
  durations_.add(task_id, parts_.clock->now_ms() - started_ms, group_of(task_id));
}

SharedText Engine::group_of(int64_t task_id) const {
  if (!scheduler_.knows_task(task_id)) return {};
  return scheduler_.tasks()[static_cast<size_t>(task_id)].mem_group;
}

// A restarted FlowLine estimates from the first minute: the runs of earlier sessions that
// succeeded say how long runs take (the newest last, so they are the ones kept).
void Engine::learn_stored_durations() {
  Result<std::vector<StoredRun>> runs = parts_.store->runs_in_state({RunState::kSucceeded});
  if (!runs.ok()) return;  // no estimate until runs end here: nothing else depends on it
  std::sort(runs->begin(), runs->end(),
            [](const StoredRun& a, const StoredRun& b) { return a.run_id < b.run_id; });
  for (const StoredRun& run : *runs)
    if (run.start_ms && run.end_ms && *run.end_ms >= *run.start_ms)
      durations_.add(run.task_id, *run.end_ms - *run.start_ms, group_of(run.task_id));
}

}  // namespace flowline

// The commands front ends send to the engine (the shell's `kill`, `max`, `gpu`…). Each public
// method hops onto the loop thread through call(); a refused command changes nothing and
// says why, in words neutral to every front end: its Error's kind (core/result.hpp) lets each
// add its own hint (the shell's "see `task`") or status (HTTP's 404).
#include <algorithm>

#include "core/gpu_order.hpp"
#include "core/saved_settings.hpp"
#include "engine/engine.hpp"

namespace flowline {

// The user's `run on|off` is saved for the next start (engine_settings.cpp says how it is
// applied there); the first dispatch of a session started with dispatch on is not a choice.
Result<std::string> Engine::set_dispatching(bool on) {
  return call([on](Engine& e) { return e.setting_changed(e.do_set_dispatching(on, true)); });
}

Result<std::string> Engine::setting_changed(Result<std::string> answer) {
  if (answer.ok()) tell({EventKind::kSettingChanged, {}, {}, {}, {}, {}, *answer});
  return answer;
}

Result<std::string> Engine::start_dispatching() {
  return call([](Engine& e) { return e.setting_changed(e.do_set_dispatching(true, false)); });
}

Result<std::string> Engine::do_set_dispatching(bool on, bool save) {
  scheduler_.settings().dispatching = on;
  const std::string unsaved = save ? save_setting(saved::kDispatching, saved::on_off_text(on)) : "";
  if (!on) return "dispatch stopped (running runs continue)" + unsaved;
  if (stop_mode_.load() >= 0) return "dispatch started (FlowLine is stopping)" + unsaved;
  // At once, so that the answer, and an `ls` right after it, show what started.
  const size_t before = live_.size();
  dispatch();
  const size_t started = live_.size() - before;
  if (started == 0) return "dispatch started (nothing can start right now: see `task`)" + unsaved;
  return "dispatch started: " + std::to_string(started) + (started == 1 ? " run" : " runs") +
         " started" + unsaved;
}

Result<std::string> Engine::toggle_gpu(int gpu) {
  return call([gpu](Engine& e) { return e.setting_changed(e.do_toggle_gpu(gpu)); });
}

// Under Slurm FlowLine neither sees the nodes' GPUs nor knows which a job was given.
static Error gpus_are_the_executors(const std::string& kind) {
  return Error{"the " + kind + " executor chooses the GPUs: FlowLine does not know which GPU a "
               "job has; stop a run with kill RUN (ls shows each run's job)",
               ErrorKind::kConflict};
}

Result<std::string> Engine::do_toggle_gpu(int gpu) {
  if (parts_.executor->places_gpus()) return gpus_are_the_executors(parts_.executor->kind());
  auto gpus = parts_.gpus->latest();
  bool known = std::any_of(gpus->begin(), gpus->end(),
                           [&](const GpuInfo& g) { return g.index == gpu; });
  if (!known) return not_found("no GPU " + std::to_string(gpu));
  auto& disabled = scheduler_.settings().disabled_gpus;
  const bool enable = disabled.erase(gpu) > 0;
  if (!enable) disabled.insert(gpu);
  const std::string unsaved = save_setting(saved::kDisabledGpus, saved::gpu_set_text(disabled));
  if (enable) return "GPU " + std::to_string(gpu) + " enabled" + unsaved;
  return "GPU " + std::to_string(gpu) + " disabled (runs on it continue; `killgpu " +
         std::to_string(gpu) + "` stops them)" + unsaved;
}

Result<std::string> Engine::kill_run(int64_t run_id) {
  return call([run_id](Engine& e) { return e.do_kill_run(run_id); });
}

Result<std::string> Engine::do_kill_run(int64_t run_id) {
  if (!live_.count(run_id)) return not_found("no running run " + std::to_string(run_id));
  if (Status s = parts_.executor->stop(run_id); !s.ok()) return internal_error(s.error().message);
  killed_by_user_.insert(run_id);
  return "stopping run " + std::to_string(run_id) + "; its task goes back to the queue";
}

Result<std::string> Engine::kill_gpu(int gpu) {
  return call([gpu](Engine& e) { return e.do_kill_gpu(gpu); });
}

Result<std::string> Engine::do_kill_gpu(int gpu) {
  if (parts_.executor->places_gpus()) return gpus_are_the_executors(parts_.executor->kind());
  std::vector<int64_t> on_gpu;
  for (const auto& [id, live] : live_)
    if (std::count(live.view.gpus.begin(), live.view.gpus.end(), gpu)) on_gpu.push_back(id);
  if (on_gpu.empty()) return "no FlowLine run on GPU " + std::to_string(gpu);
  for (int64_t id : on_gpu) (void)do_kill_run(id);
  return "stopping " + std::to_string(on_gpu.size()) + " run(s) on GPU " + std::to_string(gpu);
}

Result<std::string> Engine::set_max(int64_t n) {
  if (n < 1) return Error{"max must be at least 1, got " + std::to_string(n)};
  return call([n](Engine& e) -> Result<std::string> {
    e.scheduler_.settings().max_running = n;
    return e.setting_changed("at most " + std::to_string(n) + " runs at once" +
                             e.save_setting(saved::kMaxRunning, saved::number_text(n)));
  });
}

Result<std::string> Engine::set_min_mem(int64_t mib) {
  if (mib < 0) return Error{"min must be a number of MiB ≥ 0, got " + std::to_string(mib)};
  return call([mib](Engine& e) -> Result<std::string> {
    e.scheduler_.settings().min_mem_auto = false;
    e.scheduler_.settings().default_min_mem_mib = mib;
    return e.setting_changed("tasks without min_mem now need " + std::to_string(mib) +
                             " MiB free per GPU" +
                             e.save_setting(saved::kMinMem, saved::number_text(mib)));
  });
}

// Until a task's runs (or its group's) are measured it asks for the MiB set before.
Result<std::string> Engine::set_min_mem_auto() {
  return call([](Engine& e) -> Result<std::string> {
    e.scheduler_.settings().min_mem_auto = true;
    return e.setting_changed("tasks without min_mem are now sized from their measured runs (" +
                             std::to_string(e.scheduler_.settings().default_min_mem_mib) +
                             " MiB before the first measurement)" +
                             e.save_setting(saved::kMinMem, saved::kAuto));
  });
}

// `default` puts back the order FlowLine starts with when --order is not given.
Result<std::string> Engine::set_order(const std::string& keys) {
  const bool to_default = keys == "default";
  Result<GpuOrder> order =
      to_default ? Result<GpuOrder>(default_gpu_order()) : parse_gpu_order(keys);
  if (!order.ok()) return order.error();
  return call([order = *order, to_default](Engine& e) -> Result<std::string> {
    e.config_.order_text = to_default ? "" : to_string(order);  // "" shows as "default"
    e.config_.gpu_order = [order](const GpuInfo& a, const GpuInfo& b) {
      return gpu_less(order, a, b);
    };
    const std::string unsaved = e.save_setting(
        saved::kGpuOrder, saved::order_text(to_default ? std::nullopt : std::optional(order)));
    return e.setting_changed("GPU order: " + std::string(to_default ? "default, " : "") +
                             to_string(order) + unsaved);
  });
}

Result<std::string> Engine::drop_task(int64_t task_id) {
  return call([task_id](Engine& e) -> Result<std::string> {
    if (!e.scheduler_.drop(task_id)) return not_found("no task " + std::to_string(task_id));
    const int64_t live = e.scheduler_.tasks()[static_cast<size_t>(task_id)].live_runs;
    std::string answer = "task " + std::to_string(task_id) + " dropped";
    if (live == 1) answer += "; its 1 running run continues";
    if (live > 1) answer += "; its " + std::to_string(live) + " running runs continue";
    e.tell_task(EventKind::kTaskDropped, *e.scheduler_.tasks()[static_cast<size_t>(task_id)].task,
                answer);
    return answer;
  });
}

// Only a failed, dropped or infeasible task has something to retry. Any other is refused
// with what it is, so that nobody is told "queued again" of a task that will never run.
Result<std::string> Engine::retry_task(int64_t task_id) {
  return call([task_id](Engine& e) -> Result<std::string> {
    if (!e.scheduler_.has_task(task_id)) return not_found("no task " + std::to_string(task_id));
    const TaskProgress& p = e.scheduler_.tasks()[static_cast<size_t>(task_id)];
    const std::string label = "task " + std::to_string(task_id) + " (" + p.task->name + ")";
    if (!p.dropped && !p.failed && !p.infeasible) {
      const TaskState state = e.scheduler_.state_of(p, e.parts_.clock->now_ms());
      if (state == TaskState::kDone)
        return conflict(label + " is done (run_num " + std::to_string(p.task->run_num) +
                        " of need_run_num " + std::to_string(p.task->need_run_num) +
                        "); to run it again, raise its need_run_num in the table");
      const std::string now = state == TaskState::kBackoff ? "queued (backing off)"
                                                           : std::string(task_state_name(state));
      return conflict(label + " is " + now + ", not failed or dropped: nothing to retry");
    }
    (void)e.scheduler_.retry(task_id);
    // Read again: a change may copy the record (core/cow_chunks.hpp), and `p` is the old one.
    const TaskProgress& retried = e.scheduler_.tasks()[static_cast<size_t>(task_id)];
    const TaskState now = e.scheduler_.state_of(retried, e.parts_.clock->now_ms());
    std::string answer = now == TaskState::kQueued
                             ? label + " queued again"
                             : label + " taken back; it is " +
                                   std::string(task_state_name(now));  // running, done
    e.tell_task(EventKind::kTaskChanged, *retried.task, answer);
    return answer;
  });
}

// Recovery speaks before an interactive session's shell exists (the shell starts once the
// engine's loop runs), and so may a first dispatch (`--start`). Rather than ordering every
// front end's start-up around the engine's, the engine keeps what it said while nobody
// listened and hands it to the first listener. That happens here, on the subscriber's thread,
// under the lock that publish() delivers under, so nothing said later can overtake it.
int Engine::subscribe(EventListener listener, Earlier earlier) {
  std::lock_guard lock(listeners_mutex_);
  if (!ever_listened_ && earlier == Earlier::kHear) {
    ever_listened_ = true;
    if (unheard_lost_ > 0)
      listener({EventKind::kNotice, 0, parts_.clock->now_ms(), {}, {}, {},
                "(" + std::to_string(unheard_lost_) + " earlier messages were not kept)"});
    for (const EngineEvent& event : unheard_) listener(event);
    unheard_.clear();
    unheard_.shrink_to_fit();
  }
  listeners_[next_listener_] = std::move(listener);
  return next_listener_++;
}

void Engine::unsubscribe(int id) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.erase(id);
}

}  // namespace flowline

// The commands front ends send to the engine (the shell's `kill`, `max`, `gpu`…). Each public
// method hops onto the loop thread through call(); a refused command changes nothing and
// says why.
#include <algorithm>

#include "core/gpu_order.hpp"
#include "engine/engine.hpp"

namespace flowline {

Result<std::string> Engine::set_dispatching(bool on) {
  return call([on](Engine& e) -> Result<std::string> {
    e.scheduler_.settings().dispatching = on;
    if (!on) return std::string("dispatch stopped (running runs continue)");
    if (e.stop_mode_.load() >= 0) return std::string("dispatch started (FlowLine is stopping)");
    // At once, so that the answer, and an `ls` right after it, show what started.
    const size_t before = e.live_.size();
    e.dispatch();
    const size_t started = e.live_.size() - before;
    if (started == 0)
      return std::string("dispatch started (nothing can start right now: see `task`)");
    return "dispatch started: " + std::to_string(started) + (started == 1 ? " run" : " runs") +
           " started";
  });
}

Result<std::string> Engine::toggle_gpu(int gpu) {
  return call([gpu](Engine& e) { return e.do_toggle_gpu(gpu); });
}

Result<std::string> Engine::do_toggle_gpu(int gpu) {
  auto gpus = parts_.gpus->latest();
  bool known = std::any_of(gpus->begin(), gpus->end(),
                           [&](const GpuInfo& g) { return g.index == gpu; });
  if (!known) return Error{"no GPU " + std::to_string(gpu) + " (see `gpus`)"};
  auto& disabled = scheduler_.settings().disabled_gpus;
  if (disabled.erase(gpu)) return "GPU " + std::to_string(gpu) + " enabled";
  disabled.insert(gpu);
  return "GPU " + std::to_string(gpu) + " disabled (runs on it continue; `killgpu " +
         std::to_string(gpu) + "` stops them)";
}

Result<std::string> Engine::kill_run(int64_t run_id) {
  return call([run_id](Engine& e) { return e.do_kill_run(run_id); });
}

Result<std::string> Engine::do_kill_run(int64_t run_id) {
  if (!live_.count(run_id))
    return Error{"no running run " + std::to_string(run_id) + " (see `ls`)"};
  if (Status s = parts_.executor->stop(run_id); !s.ok()) return s.error();
  killed_by_user_.insert(run_id);
  return "stopping run " + std::to_string(run_id) + "; its task goes back to the queue";
}

Result<std::string> Engine::kill_gpu(int gpu) {
  return call([gpu](Engine& e) { return e.do_kill_gpu(gpu); });
}

Result<std::string> Engine::do_kill_gpu(int gpu) {
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
    return "at most " + std::to_string(n) + " runs at once";
  });
}

Result<std::string> Engine::set_min_mem(int64_t mib) {
  if (mib < 0) return Error{"min must be a number of MiB ≥ 0, got " + std::to_string(mib)};
  return call([mib](Engine& e) -> Result<std::string> {
    e.scheduler_.settings().default_min_mem_mib = mib;
    return "tasks without min_mem now need " + std::to_string(mib) + " MiB free per GPU";
  });
}

Result<std::string> Engine::set_order(const std::string& keys) {
  Result<GpuOrder> order = parse_gpu_order(keys);
  if (!order.ok()) return order.error();
  return call([order = *order](Engine& e) -> Result<std::string> {
    e.config_.order_text = to_string(order);
    e.config_.gpu_order = [order](const GpuInfo& a, const GpuInfo& b) {
      return gpu_less(order, a, b);
    };
    return "GPU order: " + to_string(order);
  });
}

Result<std::string> Engine::drop_task(int64_t task_id) {
  return call([task_id](Engine& e) -> Result<std::string> {
    if (!e.scheduler_.drop(task_id))
      return Error{"no task " + std::to_string(task_id) + " (see `task`)"};
    return "task " + std::to_string(task_id) + " dropped; its running runs continue";
  });
}

Result<std::string> Engine::retry_task(int64_t task_id) {
  return call([task_id](Engine& e) -> Result<std::string> {
    if (!e.scheduler_.retry(task_id))
      return Error{"no task " + std::to_string(task_id) + " (see `task`)"};
    return "task " + std::to_string(task_id) + " queued again";
  });
}

int Engine::subscribe(std::function<void(const std::string&)> listener) {
  std::lock_guard lock(listeners_mutex_);
  listeners_[next_listener_] = std::move(listener);
  return next_listener_++;
}

void Engine::unsubscribe(int id) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.erase(id);
}

}  // namespace flowline

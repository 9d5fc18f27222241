#pragma once
// An in-memory EngineApi for front-end tests: commands change a snapshot the way the real
// engine would (unknown ids refused as not found, nothing changed; `retry` only of a failed or
// dropped task), and tests post engine messages at will.
#include <algorithm>
#include <map>
#include <mutex>
#include <optional>

#include "engine/engine_api.hpp"

namespace flowline::testing {

class FakeEngine : public EngineApi {
 public:
  explicit FakeEngine(EngineSnapshot start = sample_snapshot()) : snap_(std::move(start)) {}

  // Two GPUs (one with unknown power), three tasks, two live runs.
  static EngineSnapshot sample_snapshot() {
    EngineSnapshot s;
    s.started_ms = 1'000'000;
    s.taken_ms = s.started_ms + 125'000;
    s.settings.dispatching = false;
    s.settings.max_running = 4;
    s.settings.default_min_mem_mib = 10000;
    GpuInfo g0;
    g0.index = 0, g0.name = "NVIDIA A100", g0.free_memory_mib = 30000;
    g0.total_memory_mib = 40960, g0.utilization = 45, g0.temperature = 61;
    g0.power_w = 180.4, g0.max_power_w = 400.0;
    g0.processes = std::vector<GpuProcess>{{101, "alice", 9000, true, std::nullopt},
                                           {202, "bob", 2000, false, std::nullopt}};
    GpuInfo g1;
    g1.index = 1, g1.name = "NVIDIA A100", g1.free_memory_mib = 40000;
    g1.total_memory_mib = 40960, g1.utilization = 0;
    s.gpus = {g0, g1};
    s.tasks = {task_view(0, "lr=0.1", TaskState::kRunning, 0, 2),
               task_view(1, "lr=0.01", TaskState::kQueued, 0, 1),
               task_view(2, "lr=0.001", TaskState::kFailed, 1, 3)};
    s.tasks.edit(1).wait = WaitReason{WaitKind::kNone, "waiting for a GPU with 10000 MiB free"};
    s.tasks.edit(2).last_error = "exit status 1";
    s.tasks.edit(0).peak_mem_mib = 9120;  // measured by its running runs
    s.runs = {run_view(3, 0, {0}, "python train.py --lr 0.1"),
              run_view(4, 0, {1}, "python train.py --lr 0.1 --seed 2")};
    s.runs[0].peak_mem_mib = 9120;
    s.counts = {0, 1, 1, 1, 0, 1, 6};
    return s;
  }

  static TaskView task_view(int64_t id, std::string name, TaskState state, int64_t done,
                            int64_t need) {
    auto task = std::make_shared<Task>();
    task->id = id, task->name = std::move(name), task->run_num = done;
    task->need_run_num = need;
    TaskView t;
    t.task = std::move(task), t.state = state;
    t.min_mem_mib = 10000;
    return t;
  }

  static RunView run_view(int64_t run, int64_t task, std::vector<int> gpus, std::string cmd) {
    RunView r;
    r.run_id = run, r.task_id = task, r.task_name = "lr=0.1", r.gpus = std::move(gpus);
    r.started_ms = 1'000'000 + 5'000, r.place.session_id = 4000 + run, r.command = std::move(cmd);
    r.out_path = "/nonexistent/run" + std::to_string(run) + ".out";
    r.err_path = "/nonexistent/run" + std::to_string(run) + ".err";
    return r;
  }

  std::shared_ptr<const EngineSnapshot> snapshot() const override {
    std::lock_guard lock(mu_);
    return std::make_shared<const EngineSnapshot>(snap_);
  }

  Result<std::string> set_dispatching(bool on) override {
    return change([&](EngineSnapshot& s) -> Result<std::string> {
      s.settings.dispatching = on;
      return std::string(on ? "dispatch started" : "dispatch stopped");
    });
  }
  Result<std::string> toggle_gpu(int gpu) override {
    return change([&](EngineSnapshot& s) -> Result<std::string> {
      if (!has_gpu(s, gpu)) return not_found("no GPU " + std::to_string(gpu));
      auto& off = s.settings.disabled_gpus;
      bool now_off = off.erase(gpu) == 0;
      if (now_off) off.insert(gpu);
      return "GPU " + std::to_string(gpu) + (now_off ? " disabled" : " enabled");
    });
  }
  Result<std::string> kill_run(int64_t run_id) override {
    return change([&](EngineSnapshot& s) -> Result<std::string> {
      auto it = std::find_if(s.runs.begin(), s.runs.end(),
                             [&](const RunView& r) { return r.run_id == run_id; });
      // Kept a bad request (so the shell adds no hint): tests of how ctl and the shell pass
      // an engine's refusal on compare this text as it is.
      if (it == s.runs.end()) return Error{"no run " + std::to_string(run_id)};
      s.runs.erase(it);
      return "run " + std::to_string(run_id) + " stopped; its task is queued again";
    });
  }
  Result<std::string> kill_gpu(int gpu) override {
    return change([&](EngineSnapshot& s) -> Result<std::string> {
      if (!has_gpu(s, gpu)) return not_found("no GPU " + std::to_string(gpu));
      auto uses = [&](const RunView& r) {
        return std::find(r.gpus.begin(), r.gpus.end(), gpu) != r.gpus.end();
      };
      size_t before = s.runs.size();
      s.runs.erase(std::remove_if(s.runs.begin(), s.runs.end(), uses), s.runs.end());
      return "stopped " + std::to_string(before - s.runs.size()) + " runs on GPU " +
             std::to_string(gpu);
    });
  }
  Result<std::string> set_max(int64_t n) override {
    return change([&](EngineSnapshot& s) -> Result<std::string> {
      s.settings.max_running = n;
      return "max " + std::to_string(n);
    });
  }
  Result<std::string> set_min_mem_auto() override {
    return change([&](EngineSnapshot& s) -> Result<std::string> {
      s.settings.min_mem_auto = true;
      return std::string("min auto");
    });
  }
  Result<std::string> set_min_mem(int64_t mib) override {
    return change([&](EngineSnapshot& s) -> Result<std::string> {
      s.settings.min_mem_auto = false;
      s.settings.default_min_mem_mib = mib;
      return "min " + std::to_string(mib) + " MiB";
    });
  }
  Result<std::string> set_order(const std::string& keys) override {
    return change([&](EngineSnapshot& s) -> Result<std::string> {
      if (keys.find("bogus") != std::string::npos) return Error{"order: unknown key 'bogus'"};
      s.order = keys;
      return "order " + keys;
    });
  }
  Result<std::string> drop_task(int64_t id) override { return set_state(id, TaskState::kDropped); }
  Result<std::string> retry_task(int64_t id) override {
    {
      std::lock_guard lock(mu_);
      for (const auto& t : snap_.tasks) {
        const bool retryable = t.state == TaskState::kFailed || t.state == TaskState::kDropped ||
                               t.state == TaskState::kInfeasible;
        if (t.task->id == id && !retryable)
          return conflict("task " + std::to_string(id) + " is " +
                          std::string(task_state_name(t.state)) + ", not failed or dropped");
      }
    }
    return set_state(id, TaskState::kQueued);
  }
  // The table: what was asked is kept for the test to check.
  Result<std::string> reload_table() override {
    std::lock_guard lock(mu_);
    ++reloads;
    return std::string("table re-read: no task added, removed or changed");
  }
  Result<std::string> add_task(const NewRowCells& cells) override {
    std::lock_guard lock(mu_);
    added_rows.push_back(cells);
    return "task " + std::to_string(added_rows.size() + 100) + " added";
  }
  Result<std::string> copy_task(int64_t id, const NewRowCells& changes) override {
    std::lock_guard lock(mu_);
    if (id < 0 || id >= static_cast<int64_t>(snap_.tasks.size()))
      return not_found("no task " + std::to_string(id));
    copied.emplace_back(id, changes);
    return "task " + std::to_string(id) + " copied";
  }
  Result<std::string> set_priority(int64_t id, int64_t priority) override {
    std::lock_guard lock(mu_);
    if (id < 0 || id >= static_cast<int64_t>(snap_.tasks.size()))
      return not_found("no task " + std::to_string(id));
    auto task = std::make_shared<Task>(*snap_.tasks[static_cast<size_t>(id)].task);
    task->priority = priority;
    snap_.tasks.edit(static_cast<size_t>(id)).task = std::move(task);
    return "task " + std::to_string(id) + " priority " + std::to_string(priority);
  }
  int reloads = 0;
  std::vector<NewRowCells> added_rows;
  std::vector<std::pair<int64_t, NewRowCells>> copied;

  void request_stop(StopMode mode) override {
    std::lock_guard lock(mu_);
    stop_mode_ = mode;
  }
  using EngineApi::subscribe;
  int subscribe(EventListener listener, Earlier) override {
    std::lock_guard lock(mu_);
    listeners_[++next_id_] = std::move(listener);
    return next_id_;
  }
  void unsubscribe(int id) override {
    std::lock_guard lock(mu_);
    listeners_.erase(id);
  }

  // Test controls.
  void post(const std::string& message) {
    std::lock_guard lock(mu_);
    EngineEvent event;
    event.text = message;
    for (auto& [id, listener] : listeners_) listener(event);
  }
  // A whole event (kind, ids, name), as the engine's loop would publish it.
  void post_event(const EngineEvent& event) {
    std::lock_guard lock(mu_);
    for (auto& [id, listener] : listeners_) listener(event);
  }
  std::optional<StopMode> stop_mode() const {
    std::lock_guard lock(mu_);
    return stop_mode_;
  }
  void edit(const std::function<void(EngineSnapshot&)>& fn) {
    std::lock_guard lock(mu_);
    fn(snap_);
  }
  size_t listener_count() const {
    std::lock_guard lock(mu_);
    return listeners_.size();
  }

 private:
  Result<std::string> change(const std::function<Result<std::string>(EngineSnapshot&)>& fn) {
    std::lock_guard lock(mu_);
    return fn(snap_);
  }
  static bool has_gpu(const EngineSnapshot& s, int gpu) {
    return std::any_of(s.gpus.begin(), s.gpus.end(),
                       [&](const GpuInfo& g) { return g.index == gpu; });
  }
  Result<std::string> set_state(int64_t id, TaskState state) {
    return change([&](EngineSnapshot& s) -> Result<std::string> {
      for (size_t i = 0; i < s.tasks.size(); ++i) {
        if (s.tasks[i].task->id != id) continue;
        s.tasks.edit(i).state = state;
        return "task " + std::to_string(id) + " " + std::string(task_state_name(state));
      }
      return not_found("no task " + std::to_string(id));
    });
  }

  mutable std::mutex mu_;
  EngineSnapshot snap_;
  std::map<int, EventListener> listeners_;
  int next_id_ = 0;
  std::optional<StopMode> stop_mode_;
};

}  // namespace flowline::testing

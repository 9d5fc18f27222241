#pragma once
// The engine: one thread owns all scheduling state and wakes only on events — a run ending,
// a GPU sample, a command, a backoff timer (DESIGN.md §3). Front ends read snapshots and send
// commands through call().
#include <atomic>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/scheduler.hpp"
#include "engine/build_jobs.hpp"
#include "engine/command_builder.hpp"
#include "engine/engine_api.hpp"
#include "engine/gpu_feed.hpp"
#include "engine/snapshot.hpp"
#include "engine/table_mirror.hpp"
#include "engine/wakeup.hpp"
#include "exec/executor.hpp"
#include "store/store.hpp"

namespace flowline {

struct EngineConfig {
  std::string table_path;
  SchedulerSettings settings;
  std::string log_dir;   // absolute: one NAME.out / NAME.err per run
  std::string work_dir;  // absolute: runs start here
  GpuLess gpu_order;
  std::string order_text;  // what the user gave for gpu_order; empty = the default
  Millis table_coalesce_ms = 200;
  // A table without run_num gets the column at its first write-back, filled for every row.
  bool table_has_run_num = true;
  bool exit_when_finished = true;  // batch mode; the shell and `serve` keep going
};

struct EngineParts {
  Clock* clock = nullptr;
  GpuFeed* gpus = nullptr;
  Executor* executor = nullptr;
  Store* store = nullptr;
  CommandBuilder* builder = nullptr;
  CellWriter table_writer;
};

class Engine final : public EngineApi {
 public:
  Engine(EngineConfig config, std::vector<Task> tasks, EngineParts parts);
  ~Engine();

  // Re-adopts the runs a previous FlowLine left behind and reconciles progress with the store.
  Status recover();
  // The loop. Returns 0 when every task is done, 1 when some failed or can never run,
  // 130 when stopped by request before the end.
  int run();

  // EngineApi: thread-safe; commands run on the loop thread through call().
  void request_stop(StopMode mode) override;  // also async-signal-safe
  std::shared_ptr<const EngineSnapshot> snapshot() const override;
  Result<std::string> set_dispatching(bool on) override;
  Result<std::string> toggle_gpu(int gpu) override;
  Result<std::string> kill_run(int64_t run_id) override;
  Result<std::string> kill_gpu(int gpu) override;
  Result<std::string> set_max(int64_t n) override;
  Result<std::string> set_min_mem(int64_t mib) override;
  Result<std::string> set_order(const std::string& keys) override;
  Result<std::string> drop_task(int64_t task_id) override;
  Result<std::string> retry_task(int64_t task_id) override;
  int subscribe(std::function<void(const std::string&)> listener) override;
  void unsubscribe(int id) override;

  // Runs `fn` on the loop thread and waits for its answer (for callers in this process).
  using Command = std::function<Result<std::string>(Engine&)>;
  Result<std::string> call(Command fn);

  const Scheduler& scheduler() const { return scheduler_; }

 private:
  struct Pending {
    Command fn;
    std::promise<Result<std::string>> reply;
  };
  struct Live {
    RunRecord record;
    RunView view;
  };

  bool run_commands();  // true when it ran any
  void adopt(const StoredRun& run);
  void refuse_pending_commands();
  void collect_exits();
  void settle_exit(const RunExit& exit);
  void record_settled_exits();
  void dispatch();
  bool launch(const LaunchDecision& d);  // false when it failed (the task is told)
  // The launch once its command is built; false when it failed (the task is told).
  bool start_run(const LaunchDecision& d, const std::string& command);
  void build_failed(const LaunchDecision& d, const Error& error, Millis now);  // tells the task
  // Launches whose commands a slow builder finished (build_jobs.hpp), while still wanted.
  void finish_builds(bool dispatching);
  void stop_all_runs();
  void wait_for_event(Millis now);
  RunUsage run_usage(const std::vector<GpuInfo>& gpus) const;
  void publish();
  // publish() at most every kPublishEveryMs while events pour in; see engine.cpp.
  void publish_when_due(Millis now, bool force);
  // Queues a message for the listeners; publish() delivers it with the snapshot that
  // already shows its cause, so a progress line printed with it agrees with it.
  void say(const std::string& message);
  void mirror_run_num(const Task& task, Millis now);
  // The commands' bodies, on the loop thread.
  Result<std::string> do_toggle_gpu(int gpu);
  Result<std::string> do_kill_run(int64_t run_id);
  Result<std::string> do_kill_gpu(int gpu);
  std::string log_stem(int64_t run_id, const Task& task) const;

  EngineConfig config_;
  EngineParts parts_;
  Scheduler scheduler_;
  TableMirror mirror_;
  Wakeup wakeup_;
  // Only for a builder that may take long; declared after wakeup_, which its threads notify.
  std::unique_ptr<BuildJobs> builds_;
  std::map<int64_t, LaunchDecision> building_;  // by placeholder run id (-1, -2, ...)
  int64_t next_placeholder_ = -1;
  std::map<int64_t, Live> live_;
  std::set<int64_t> killed_by_user_;
  // Exits the scheduler has taken but the store not yet: see record_settled_exits().
  struct SettledExit {
    RunExit exit;
    RunOutcome outcome;
    std::string message;
  };
  std::vector<SettledExit> unrecorded_exits_;
  bool run_num_column_written_ = false;
  Millis last_publish_ms_ = 0;
  bool publish_pending_ = false;  // the state changed since the last snapshot
  Millis started_ms_ = 0;
  int64_t runs_done_at_start_ = 0;  // from the table's run_num: the ETA's rate excludes them

  std::atomic<int> stop_mode_{-1};  // -1: keep going; else a StopMode
  std::mutex pending_mutex_;
  std::deque<Pending> pending_;
  bool loop_done_ = false;  // guarded by pending_mutex_
  std::atomic<std::thread::id> loop_thread_{};
  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const EngineSnapshot> snapshot_;
  std::mutex listeners_mutex_;
  std::map<int, std::function<void(const std::string&)>> listeners_;
  std::vector<std::string> unsaid_;  // loop thread only: messages awaiting the next publish()
  int next_listener_ = 1;
};

}  // namespace flowline

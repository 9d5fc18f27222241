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
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/identity_index.hpp"
#include "core/repeated_failure.hpp"
#include "core/result.hpp"
#include "core/run_durations.hpp"
#include "core/scheduler.hpp"
#include "core/wait_estimate.hpp"
#include "engine/build_jobs.hpp"
#include "engine/command_builder.hpp"
#include "engine/engine_api.hpp"
#include "engine/space_probe.hpp"
#include "engine/gpu_feed.hpp"
#include "engine/live_table.hpp"
#include "engine/run_memory_tracker.hpp"
#include "engine/snapshot.hpp"
#include "engine/table_mirror.hpp"
#include "engine/wakeup.hpp"
#include "exec/executor.hpp"
#include "store/store.hpp"

namespace flowline {

struct EngineConfig {
  std::string table_path;  // canonical: progress in the store is kept under it
  SchedulerSettings settings;
  std::string log_dir;   // absolute: one NAME.out / NAME.err per run
  std::string work_dir;  // absolute: runs start here
  GpuLess gpu_order;
  std::string order_text;  // what the user gave for gpu_order; empty = the default
  Millis table_coalesce_ms = 200;
  // A table without run_num gets the column at its first write-back, filled for every row.
  bool table_has_run_num = true;
  bool exit_when_finished = true;  // batch mode; the shell and `serve` keep going
  bool watch_table = true;         // apply the user's edits of the table while running
  // The table file's signature taken before it was read for the engine: a save after that
  // is read again when watching starts. Unset: taken when the engine is made.
  std::optional<FileSignature> table_signature;
  // The settings the command line gave: they win over the saved ones (engine_settings.cpp).
  struct Given {
    bool max_running = false, min_mem = false, order = false, gpus = false;
    bool start = false;  // --start: dispatch on
  };
  Given given;
  bool interactive = false;  // the shell's session: dispatch starts stopped unless --start
};

struct EngineParts {
  Clock* clock = nullptr;
  GpuFeed* gpus = nullptr;
  Executor* executor = nullptr;
  Store* store = nullptr;
  CommandBuilder* builder = nullptr;
  SpaceProbe* space = nullptr;  // null: a failed launch is always the task's
};

// What one new version of the table changed, for the user ("table changed: 2 tasks added").
struct TableChange {
  int64_t added = 0, removed = 0, changed = 0;
  std::vector<int64_t> added_ids, removed_ids, changed_ids;
  bool any() const { return added || removed || changed; }
  std::string describe() const;
};

class Engine final : public EngineApi {
 public:
  // `table` is the file as read at start; recover() gives its tasks their ids.
  Engine(EngineConfig config, TaskTable table, EngineParts parts);
  ~Engine();

  // Re-adopts the runs a previous FlowLine left behind and reconciles progress with the store.
  Status recover();
  // The loop. Returns 0 when every task is done, 1 when some failed or can never run,
  // 130 when stopped by request before the end.
  int run();
  // The loop in parts, for tests that drive it pass by pass: begin() on the thread that will
  // call step() (it becomes the loop's thread), step() until it says kEnd, then end(), whose
  // answer is run()'s. step() never waits: kWait is where run() waits for the next event.
  enum class Step { kWait, kAgain, kEnd };
  void begin();
  Step step();
  int end();

  // EngineApi: thread-safe; commands run on the loop thread through call().
  void request_stop(StopMode mode) override;  // also async-signal-safe
  std::shared_ptr<const EngineSnapshot> snapshot() const override;
  Result<std::string> set_dispatching(bool on) override;
  // Dispatch on at once, like `run on`, for a session that starts dispatching (--start): not
  // the user's choice at run time, so not saved.
  Result<std::string> start_dispatching();
  Result<std::string> toggle_gpu(int gpu) override;
  Result<std::string> kill_run(int64_t run_id) override;
  Result<std::string> kill_gpu(int gpu) override;
  Result<std::string> set_max(int64_t n) override;
  Result<std::string> set_min_mem(int64_t mib) override;
  Result<std::string> set_min_mem_auto() override;
  Result<std::string> set_order(const std::string& keys) override;
  Result<std::string> drop_task(int64_t task_id) override;
  Result<std::string> retry_task(int64_t task_id) override;
  Result<std::string> reload_table() override;
  Result<std::string> add_task(const NewRowCells& cells) override;
  Result<std::string> copy_task(int64_t task_id, const NewRowCells& changes) override;
  Result<std::string> set_priority(int64_t task_id, int64_t priority) override;
  using EngineApi::subscribe;
  int subscribe(EventListener listener, Earlier earlier) override;
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
    RunHandle handle;
    RunView view;
  };

  bool run_commands();  // true when it ran any
  bool first_pass_ = true;
  Status check_run_kinds(const std::vector<StoredRun>& runs) const;
  void adopt(const StoredRun& run, const std::map<int64_t, std::string>& stored_names);
  // The live table (engine_table.cpp).
  void load_store_identities(const std::vector<StoredTask>& known);
  // `gone` null: `table` is the whole file (rows not in it are removed); else only the rows
  // new or changed since the last version, and the identities that left it.
  TableChange apply_table(TaskTable table, const std::vector<TaskIdentity>* gone = nullptr);
  // A version read by the watcher or on request; false (and said once) when unreadable.
  Result<TableChange> apply_version(TableVersion version);
  void take_table_version();
  // Batch mode, before it ends: true once the version in force is the file's newest.
  bool table_settled();
  void note_clock_drift();
  Millis drift_said_ms_ = 0;  // the clock drift told to the user last
  // Says what a flush of run_num into the table did, once per spell of failures.
  void note_table_write(const Status& flushed, Millis now);
  Result<bool> write_run_nums(const std::vector<RunNumUpdate>& updates);
  Result<std::string> append_and_apply(const NewRowCells& cells);
  StoredTask stored_task(const Task& task) const;
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
  void tell_feed_our_sessions();  // which GPU processes are FlowLine's, for the sampler
  void observe_memory();  // a new GPU sample's memory use, for each live run
  OomFacts oom_facts(const RunView& run, const RunMemory& memory) const;
  void publish();
  void refresh_task_views(Millis now);
  void count_tasks(Millis now, TaskViewContext& context);
  bool task_views_current(Millis now) const;
  // Where each waiting task stands and when it may start, by task id (engine_waits.cpp).
  QueueEstimates queue_estimates(Millis now);
  // How long runs take: from those that end, and at start from the store's finished runs.
  void learn_duration(int64_t task_id, Millis started_ms, RunOutcome outcome);
  SharedText group_of(int64_t task_id) const;
  bool asked_too_little(const RunView& run, std::optional<int64_t> own_peak) const;  // its --mem-group key, "" when none
  void learn_stored_durations();
  bool state_changed_since_publish(Millis now) const;
  bool dispatch_may_launch();
  // publish() at most every kPublishEveryMs while events pour in; see engine.cpp.
  void publish_when_due(Millis now, bool force);
  // Queues a message for the listeners; publish() delivers it with the snapshot that
  // already shows its cause, so a progress line printed with it agrees with it.
  void say(const std::string& message) { tell({EventKind::kNotice, {}, {}, {}, {}, {}, message}); }
  void tell(EngineEvent event);
  void tell_task(EventKind kind, const Task& task, std::string text);
  // A setting command's answer, told to every listener when it succeeded.
  Result<std::string> setting_changed(Result<std::string> answer);
  void tell_table_change(const TableChange& change);
  void tell_progress_events();  // GPU samples and the sweep's end, once each
  void mirror_run_num(const Task& task, Millis now);
  // Saved settings (engine_settings.cpp): applied once at start, each saved when changed.
  void restore_settings();
  // Saves one setting a command changed: "" when saved, else words for the command's answer
  // (the change applies all the same).
  std::string save_setting(const char* key, const std::string& value);
  // The commands' bodies, on the loop thread.
  Result<std::string> do_set_dispatching(bool on, bool save);
  Result<std::string> do_toggle_gpu(int gpu);
  Result<std::string> do_kill_run(int64_t run_id);
  Result<std::string> do_kill_gpu(int gpu);
  std::string log_stem(int64_t run_id, const Task& task) const;

  EngineConfig config_;
  EngineParts parts_;
  Scheduler scheduler_;
  TableMirror mirror_;
  // Writing run_num back is retried every few hundred ms while it fails: said once, reminded.
  RepeatedFailure table_write_failure_{"update the table", "the table can be updated again"};
  // Finished runs that could not be written into the store (a full disk): kept and retried,
  // said once.
  RepeatedFailure exit_record_failure_{"record finished runs", "finished runs are recorded again"};
  // The executor cannot follow its runs (Slurm's controller down): said once, reminded.
  RepeatedFailure executor_trouble_{"follow the runs", "the runs are followed again"};
  Wakeup wakeup_;
  LiveTable table_;
  std::optional<TaskTable> initial_table_;  // until recover() applies it
  std::optional<FileSignature> initial_signature_;
  std::vector<RowKey> initial_rows_;  // the watcher measures the first change against these
  uint64_t applied_rows_ = 1;         // the LiveTable version of the rows in force
  bool recovered_ = false;
  std::vector<std::string> columns_;  // the header of the version in force
  // Every identity the store knows (tasks of this session and earlier ones) and its task id.
  IdentityIndex id_of_;
  std::map<int64_t, int64_t> stored_run_num_;  // from the store at start, for returning rows
  int64_t next_task_id_ = 0;
  std::string table_unreadable_;  // why the file's current version cannot be used; "" if fine
  std::string table_unwritten_;   // why run_num could not be written at the end; "" if fine
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
    RunMemory memory;
  };
  std::vector<SettledExit> unrecorded_exits_;
  RunMemoryTracker memory_;  // what each live run uses on its GPUs
  const std::vector<GpuInfo>* observed_sample_ = nullptr;  // the sample memory_ saw last
  bool run_num_column_written_ = false;
  Millis last_publish_ms_ = 0;
  // Dispatch paused by a full disk (engine_space.cpp): why, and when to look again.
  std::string space_pause_;
  Millis space_recheck_ms_ = 0;
  // After a failed launch: true (and dispatch paused) when the disk is full, so that the
  // failure is not charged to the task.
  bool paused_for_space(Millis now);
  // A full disk, or an executor that cannot start runs now; nullopt when neither.
  std::optional<std::string> launch_blocker();
  bool blocked_by_executor_ = false;  // what launch_blocker() found last
  // While paused: true until a look at the disks finds room again.
  bool space_still_short(Millis now);
  // What the last decide() saw, so that an unchanged picture is not decided again.
  struct LastDecision {
    std::shared_ptr<const std::vector<GpuInfo>> gpus;
    uint64_t version = 0;
    std::optional<Millis> next_wakeup;
  } last_decision_;
  std::shared_ptr<const std::vector<GpuInfo>> published_gpus_;
  // The task views of the last snapshot, shared by the next ones while still true.
  struct TaskViewCache {
    bool built = false;
    uint64_t version = 0;  // Scheduler::version() they show
    Millis valid_until = 0;  // the first backoff to end, when a state changes with time
    TaskViews views;
    Counts counts;
    // The settings that what holds a waiting task depends on, as the views show them.
    bool dispatching = false;
    int64_t max_running = 0;
    std::set<int> disabled_gpus;
  } task_views_;
  // A large list of views was rebuilt (and the old one freed) since the heap was last handed
  // back to the system: without it a 100,000-task engine kept 30 MB it no longer used.
  bool heap_to_release_ = false;
  Millis heap_released_ms_ = 0;
  void release_heap_when_due(Millis now);
  RunDurations durations_;  // how long runs took: waiting tasks' estimated starts
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
  std::map<int, EventListener> listeners_;
  // Guarded by listeners_mutex_: what was said before anyone listened, for the first listener
  // (see subscribe()), and how many such messages did not fit.
  bool ever_listened_ = false;
  std::vector<EngineEvent> unheard_;
  size_t unheard_lost_ = 0;
  std::vector<EngineEvent> unsaid_;  // loop thread only: events awaiting the next publish()
  uint64_t next_seq_ = 1;
  const std::vector<GpuInfo>* told_sample_ = nullptr;  // the GPU sample last told (identity)
  Millis told_sample_ms_ = 0;
  std::array<uint64_t, static_cast<size_t>(kLastEventKind) + 1> events_told_{};
  bool told_all_done_ = false;
  int next_listener_ = 1;
};

}  // namespace flowline

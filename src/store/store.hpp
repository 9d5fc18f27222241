#pragma once
// The durable record of progress: tasks, runs and settings. The database is the source of
// truth; the table file mirrors it (DESIGN.md §3). SqliteStore is the implementation.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/run_exit.hpp"
#include "store/stored_types.hpp"

namespace flowline {

class Store {
 public:
  virtual ~Store() = default;

  // Inserts or replaces every given task (all columns), in one transaction.
  virtual Status upsert_tasks(const std::vector<StoredTask>& tasks) = 0;
  virtual Result<std::vector<StoredTask>> tasks() = 0;

  // Records a run about to start, in state `starting`; returns its id (never reused).
  // Durable before it returns: call it BEFORE spawning, so a crash in between leaves a record
  // to reconcile instead of an unknown process.
  virtual Result<int64_t> insert_run(const NewRun& run) = 0;
  // The run has started: its executor's handle (what finds it after a restart), and its logs.
  virtual Status mark_running(int64_t run_id, const std::string& handle,
                              const std::string& out_path, const std::string& err_path) = 0;
  // The run's end and, when it succeeded, its task's run_num + 1, in one transaction.
  // Refused for a run that already ended, so an exit reported twice never counts twice.
  virtual Status record_exit(int64_t run_id, const RunExit& exit, RunState outcome,
                             const std::string& classification, const std::string& message) = 0;
  // What a run was measured to use on its GPUs (peak, series, other holders), as text.
  virtual Status record_run_memory(int64_t run_id, std::optional<int64_t> peak_mib,
                                   const std::string& series, const std::string& holders) = 0;
  // The largest GPU memory measured of any run of each task, by task id.
  virtual Result<std::map<int64_t, int64_t>> task_memory_peaks() = 0;
  virtual Result<std::vector<StoredRun>> runs_in_state(const std::vector<RunState>& states) = 0;
  virtual Result<std::vector<StoredRun>> runs_for_task(int64_t task_id) = 0;

  // The settings a user changes at run time (max, min, order, GPUs on/off, dispatch), kept
  // across restarts: one text value per key (core/saved_settings.hpp), nullopt when never set.
  virtual Result<std::optional<std::string>> setting(const std::string& key) = 0;
  // Replaces the key's value; committed before it returns.
  virtual Status set_setting(const std::string& key, const std::string& value) = 0;
};

}  // namespace flowline

#pragma once
// FlowLine's durable state in <state-dir>/flowline.db (SQLite): tasks, every run, settings.
// The database is the source of truth for progress (DESIGN.md §3).
//
// Durability: WAL with synchronous=NORMAL. A committed transaction is in the WAL file before
// the call returns, so it survives FlowLine's crash or kill -9 (the kernel keeps the written
// pages); only a power loss or kernel crash may lose the last commits, and that also kills
// every run, whose exits would then be "lost" and retried. FULL would add an fsync to each of
// the three commits per run for no gain against the failures FlowLine must survive.
//
// One thread at a time (the engine's loop thread).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/run_exit.hpp"
#include "store/store.hpp"
#include "store/stored_types.hpp"

namespace flowline {

class SqliteStore final : public Store {
 public:
  // Creates the state directory if needed, takes its lock (one FlowLine per state directory)
  // and opens or creates flowline.db, migrating it to the current schema.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& state_dir);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Inserts or replaces every given task (all columns), in one transaction.
  Status upsert_tasks(const std::vector<StoredTask>& tasks) override;
  Result<std::vector<StoredTask>> tasks() override;
  Status set_task_state(int64_t task_id, StoredTaskState state, const std::string& last_error);

  // Records a run about to start, in state `starting`; returns its id (never reused).
  // Committed before it returns: call it BEFORE spawning, so that a crash in between leaves
  // a record to reconcile instead of an unknown process.
  Result<int64_t> insert_run(const NewRun& run) override;
  // The run's supervisor is up: keep what is needed to adopt it after a restart.
  // An empty path keeps the one given to insert_run.
  Status mark_running(int64_t run_id, const std::string& handle, const std::string& out_path,
                      const std::string& err_path) override;
  // The run ended with `outcome` (a final state). In the same transaction, a success adds one
  // to its task's run_num. Refused for a run that already ended, so an exit reported twice
  // (say, before and after a restart) never counts twice.
  Status record_run_memory(int64_t run_id, std::optional<int64_t> peak_mib,
                           const std::string& series, const std::string& holders) override;
  Result<std::map<int64_t, int64_t>> task_memory_peaks() override;
  Status record_exit(int64_t run_id, const RunExit& exit, RunState outcome,
                     const std::string& classification, const std::string& message) override;

  Result<std::vector<StoredRun>> runs_in_state(const std::vector<RunState>& states) override;
  Result<std::vector<StoredRun>> all_runs();
  Result<std::vector<StoredRun>> runs_for_task(int64_t task_id) override;
  Result<std::optional<StoredRun>> run(int64_t run_id);

  Result<std::optional<std::string>> setting(const std::string& key) override;
  Status set_setting(const std::string& key, const std::string& value) override;
  Result<std::optional<std::string>> meta(const std::string& key);
  Status set_meta(const std::string& key, const std::string& value);

  const std::string& db_path() const;

 private:
  struct Impl;
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace flowline

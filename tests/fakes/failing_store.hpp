#pragma once
// The real store (SQLite) behind a door that fails on demand: the next N inserts of a run or
// records of an exit fail as a full disk would make them, then everything goes through again.
#include "store/store.hpp"

namespace flowline::testing {

class FailingStore final : public Store {
 public:
  explicit FailingStore(Store& real) : real_(real) {}

  int fail_insert_run = 0;
  int fail_record_exit = 0;
  int failed = 0;  // failures injected so far

  Status upsert_tasks(const std::vector<StoredTask>& tasks) override {
    return real_.upsert_tasks(tasks);
  }
  Result<std::vector<StoredTask>> tasks() override { return real_.tasks(); }
  Result<int64_t> insert_run(const NewRun& run) override {
    if (take(fail_insert_run)) return Error{"database or disk is full (injected)"};
    return real_.insert_run(run);
  }
  Status mark_running(int64_t run_id, const std::string& handle, const std::string& out_path,
                      const std::string& err_path) override {
    return real_.mark_running(run_id, handle, out_path, err_path);
  }
  Status record_exit(int64_t run_id, const RunExit& exit, RunState outcome,
                     const std::string& classification, const std::string& message) override {
    if (take(fail_record_exit)) return Error{"database or disk is full (injected)"};
    return real_.record_exit(run_id, exit, outcome, classification, message);
  }
  Status record_run_memory(int64_t run_id, std::optional<int64_t> peak_mib,
                           const std::string& series, const std::string& holders) override {
    return real_.record_run_memory(run_id, peak_mib, series, holders);
  }
  Result<std::map<int64_t, int64_t>> task_memory_peaks() override {
    return real_.task_memory_peaks();
  }
  Result<std::vector<StoredRun>> runs_in_state(const std::vector<RunState>& states) override {
    return real_.runs_in_state(states);
  }
  Result<std::vector<StoredRun>> runs_for_task(int64_t task_id) override {
    return real_.runs_for_task(task_id);
  }
  Result<std::optional<std::string>> setting(const std::string& key) override {
    return real_.setting(key);
  }
  Status set_setting(const std::string& key, const std::string& value) override {
    return real_.set_setting(key, value);
  }

 private:
  bool take(int& count) {
    if (count <= 0) return false;
    --count;
    ++failed;
    return true;
  }

  Store& real_;
};

}  // namespace flowline::testing

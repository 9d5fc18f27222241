#pragma once
// Every run ever started, read from the state database through a connection of its own, so
// that the HTTP server answers "runs of task 7" or "page 3 of all runs" without waiting for
// (or making wait) the engine's loop, which owns the writing connection. WAL mode lets the
// two work at once. Thread-safe: one query at a time.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/stored_types.hpp"

namespace flowline {

namespace sqlite {
class Db;
class Statement;
}  // namespace sqlite

struct RunPage {
  int64_t total = 0;  // runs matching, over all pages
  std::vector<StoredRun> runs;  // newest first
};

class RunHistory {
 public:
  // The state directory's flowline.db, which the engine's store has created.
  static Result<std::unique_ptr<RunHistory>> open(const std::string& state_dir);
  ~RunHistory();

  // Newest first; `task_id` limits it to one task's runs.
  Result<RunPage> page(int64_t offset, int64_t limit, std::optional<int64_t> task_id);
  Result<std::optional<StoredRun>> run(int64_t run_id);
  // Every run of each task, oldest first.
  Result<std::vector<StoredRun>> runs_of(const std::vector<int64_t>& task_ids);

 private:
  explicit RunHistory(std::unique_ptr<sqlite::Db> db);
  std::mutex mutex_;
  std::unique_ptr<sqlite::Db> db_;
};

}  // namespace flowline

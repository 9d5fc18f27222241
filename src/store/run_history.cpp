#include "store/run_history.hpp"

#include "store/run_rows.hpp"
#include "store/sqlite_db.hpp"

namespace flowline {

Result<std::unique_ptr<RunHistory>> RunHistory::open(const std::string& state_dir) {
  auto db = sqlite::Db::open(state_dir + "/flowline.db");
  if (!db) return db.error();
  if (auto s = (*db)->exec("PRAGMA busy_timeout = 2000; PRAGMA query_only = 1",
                           "set up a read-only connection");
      !s)
    return s.error();
  return std::unique_ptr<RunHistory>(new RunHistory(std::move(*db)));
}

RunHistory::RunHistory(std::unique_ptr<sqlite::Db> db) : db_(std::move(db)) {}
RunHistory::~RunHistory() = default;

Result<RunPage> RunHistory::page(int64_t offset, int64_t limit, std::optional<int64_t> task_id) {
  std::lock_guard lock(mutex_);
  const std::string where = task_id ? " WHERE task_id = ?1" : "";
  auto count = db_->prepare("SELECT count(*) FROM runs" + where, "count runs");
  if (!count) return count.error();
  if (task_id) {
    if (auto b = (*count)->bind(*task_id); !b) return b.error();
  }
  auto has = (*count)->step();
  if (!has) return has.error();
  RunPage page;
  page.total = (*count)->int_at(0);
  auto select = db_->prepare(std::string("SELECT ") + kRunColumns + " FROM runs" + where +
                                 " ORDER BY run_id DESC LIMIT ?" + (task_id ? "2" : "1") +
                                 " OFFSET ?" + (task_id ? "3" : "2"),
                             "read a page of runs");
  if (!select) return select.error();
  Status bound = task_id ? (*select)->bind(*task_id, limit, offset) : (*select)->bind(limit, offset);
  if (!bound) return bound.error();
  auto runs = read_runs(**select, db_->path());
  if (!runs) return runs.error();
  page.runs = std::move(*runs);
  return page;
}

Result<std::optional<StoredRun>> RunHistory::run(int64_t run_id) {
  std::lock_guard lock(mutex_);
  auto select = db_->prepare(std::string("SELECT ") + kRunColumns + " FROM runs WHERE run_id = ?1",
                             "read a run");
  if (!select) return select.error();
  if (auto b = (*select)->bind(run_id); !b) return b.error();
  auto runs = read_runs(**select, db_->path());
  if (!runs) return runs.error();
  if (runs->empty()) return std::optional<StoredRun>();
  return std::optional<StoredRun>(std::move(runs->front()));
}

Result<std::vector<StoredRun>> RunHistory::runs_of(const std::vector<int64_t>& task_ids) {
  std::vector<StoredRun> out;
  if (task_ids.empty()) return out;
  std::string list;
  for (int64_t id : task_ids) list += (list.empty() ? "" : ",") + std::to_string(id);
  std::lock_guard lock(mutex_);
  auto select = db_->prepare(std::string("SELECT ") + kRunColumns + " FROM runs WHERE task_id IN (" +
                                 list + ") ORDER BY run_id",
                             "read the runs of tasks");
  if (!select) return select.error();
  return read_runs(**select, db_->path());
}

}  // namespace flowline

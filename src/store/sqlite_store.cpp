#include "store/sqlite_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include "faults/crash_point.hpp"
#include "store/migrations.hpp"
#include "store/run_rows.hpp"
#include "store/sqlite_db.hpp"
#include "store/state_dir_lock.hpp"

namespace flowline {
namespace {

using sqlite::Statement;
using StatementPtr = std::unique_ptr<Statement>;

constexpr int kBusyTimeoutMs = 5000;

Status make_dirs(const std::string& path) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    std::string prefix = path.substr(0, pos);
    if (mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return Error{"cannot create state directory " + prefix + ": " + std::strerror(errno)};
    }
  }
  return ok_status();
}

// The database holds every task's command and parameters: the owner's only, whatever the
// umask (DESIGN.md §3). SQLite gives its -wal and -shm files the database file's mode, so the
// file is made before SQLite opens it; files of an older FlowLine are tightened too.
Status make_database_private(const std::string& db_path) {
  int fd = ::open(db_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || ::fchmod(fd, 0600) != 0) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    return Error{"cannot make the database " + db_path + " private: " + std::strerror(err)};
  }
  ::close(fd);
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string side = db_path + suffix;
    if (::chmod(side.c_str(), 0600) != 0 && errno != ENOENT)
      return Error{"cannot make " + side + " private: " + std::strerror(errno)};
  }
  return ok_status();
}

}  // namespace

struct SqliteStore::Impl {
  std::unique_ptr<StateDirLock> lock;
  std::unique_ptr<sqlite::Db> db;
  StatementPtr begin, commit, rollback;
  StatementPtr upsert_task, select_tasks, update_task_state;
  StatementPtr insert_run, mark_running, finish_run, bump_run_num, record_memory;
  StatementPtr select_all_runs, select_task_runs, select_run, select_peaks;
  StatementPtr select_setting, upsert_setting, select_meta, upsert_meta;

  Status prepare_all();
  Status in_transaction(const std::function<Status()>& body);
  Result<std::optional<std::string>> lookup(Statement& s, const std::string& key);
};

Status SqliteStore::Impl::prepare_all() {
  struct Def {
    StatementPtr* slot;
    const char* sql;
    const char* what;
  };
  const std::string run_select = std::string("SELECT ") + kRunColumns + " FROM runs";
  const std::string all_runs_sql = run_select + " ORDER BY run_id";
  const std::string task_runs_sql = run_select + " WHERE task_id = ?1 ORDER BY run_id";
  const std::string run_sql = run_select + " WHERE run_id = ?1";
  const Def defs[] = {
      {&begin, "BEGIN IMMEDIATE", "begin a transaction"},
      {&commit, "COMMIT", "commit a transaction"},
      {&rollback, "ROLLBACK", "roll back a transaction"},
      {&upsert_task,
       "INSERT INTO tasks (id, table_path, name, run_num, need_run_num, state, last_error, "
       "identity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO UPDATE SET "
       "table_path = ?2, name = ?3, run_num = ?4, need_run_num = ?5, state = ?6, "
       "last_error = ?7, identity = ?8",
       "store a task"},
      {&select_tasks,
       "SELECT id, table_path, name, run_num, need_run_num, state, last_error, identity "
       "FROM tasks ORDER BY id",
       "read the tasks"},
      {&update_task_state, "UPDATE tasks SET state = ?2, last_error = ?3 WHERE id = ?1",
       "update a task's state"},
      {&insert_run,
       "INSERT INTO runs (task_id, attempt, state, start_ms, gpus, out_path, err_path) "
       "VALUES (?1, ?2, 'starting', ?3, ?4, ?5, ?6)",
       "record a new run"},
      {&mark_running,
       "UPDATE runs SET state = 'running', handle = ?2, "
       "out_path = coalesce(nullif(?3, ''), out_path), "
       "err_path = coalesce(nullif(?4, ''), err_path) "
       "WHERE run_id = ?1 AND state = 'starting'",
       "mark a run running"},
      {&finish_run,
       "UPDATE runs SET state = ?2, start_ms = coalesce(?3, start_ms), end_ms = ?4, "
       "exit_code = ?5, signal = ?6, classification = ?7, message = ?8 "
       "WHERE run_id = ?1 AND state IN ('starting', 'running')",
       "record a run's exit"},
      {&record_memory,
       "UPDATE runs SET peak_mem_mib = ?2, mem_series = ?3, mem_holders = ?4 WHERE run_id = ?1",
       "record a run's GPU memory"},
      {&bump_run_num,
       "UPDATE tasks SET run_num = run_num + 1 WHERE id = (SELECT task_id FROM runs "
       "WHERE run_id = ?1)",
       "count a successful run"},
      {&select_all_runs, all_runs_sql.c_str(), "read the runs"},
      {&select_task_runs, task_runs_sql.c_str(), "read a task's runs"},
      {&select_peaks,
       "SELECT task_id, max(peak_mem_mib) FROM runs WHERE peak_mem_mib IS NOT NULL "
       "GROUP BY task_id",
       "read the tasks' measured GPU memory"},
      {&select_run, run_sql.c_str(), "read a run"},
      {&select_setting, "SELECT value FROM settings WHERE key = ?1", "read a setting"},
      {&upsert_setting,
       "INSERT INTO settings (key, value) VALUES (?1, ?2) "
       "ON CONFLICT (key) DO UPDATE SET value = ?2",
       "store a setting"},
      {&select_meta, "SELECT value FROM meta WHERE key = ?1", "read metadata"},
      {&upsert_meta,
       "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
       "store metadata"},
  };
  for (const auto& d : defs) {
    auto s = db->prepare(d.sql, d.what);
    if (!s) return s.error();
    *d.slot = std::move(*s);
  }
  return ok_status();
}

Status SqliteStore::Impl::in_transaction(const std::function<Status()>& body) {
  if (auto s = begin->run(); !s) return s;
  Status result = body();
  crash_point(kCrashStoreCommit);
  if (result) result = commit->run();
  if (!result) (void)rollback->run();
  return result;
}

Result<std::optional<std::string>> SqliteStore::Impl::lookup(Statement& s, const std::string& key) {
  if (auto b = s.bind(key); !b) return b.error();
  auto row = s.step();
  if (!row) return row.error();
  std::optional<std::string> value;
  if (*row) value = s.text_at(0);
  (void)s.bind();  // resets: a half-read statement would keep a read transaction open
  return value;
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& state_dir) {
  if (auto made = make_dirs(state_dir); !made) return made.error();
  auto impl = std::make_unique<Impl>();
  auto lock = StateDirLock::acquire(state_dir);
  if (!lock) return lock.error();
  impl->lock = std::move(*lock);
  if (Status s = make_database_private(state_dir + "/flowline.db"); !s) return s.error();
  auto db = sqlite::Db::open(state_dir + "/flowline.db");
  if (!db) return db.error();
  impl->db = std::move(*db);
  auto& d = *impl->db;
  auto mode = d.query_text("PRAGMA journal_mode = WAL", "switch to WAL mode");
  if (!mode) return mode.error();
  if (*mode != "wal") return Error{d.path() + ": cannot use WAL mode (got " + *mode + ")"};
  for (const char* pragma :
       {"PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 5000"}) {
    if (auto s = d.exec(pragma, std::string("set ") + pragma); !s) return s.error();
  }
  static_assert(kBusyTimeoutMs == 5000, "keep the pragma above in step");
  if (auto s = apply_migrations(d, schema_migrations()); !s) return s.error();
  if (auto s = impl->prepare_all(); !s) return s.error();
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteStore::~SqliteStore() {
  // Statements before the database, the database before the lock.
  impl_.reset();
}

const std::string& SqliteStore::db_path() const { return impl_->db->path(); }

Status SqliteStore::upsert_tasks(const std::vector<StoredTask>& tasks) {
  return impl_->in_transaction([&]() -> Status {
    for (const auto& t : tasks) {
      auto& s = *impl_->upsert_task;
      if (auto b = s.bind(t.id, t.table_path, t.name, t.run_num, t.need_run_num, to_string(t.state),
                          t.last_error, t.identity);
          !b) {
        return b;
      }
      if (auto r = s.run(); !r) return r;
    }
    return ok_status();
  });
}

Result<std::vector<StoredTask>> SqliteStore::tasks() {
  auto& s = *impl_->select_tasks;
  if (auto b = s.bind(); !b) return b.error();
  std::vector<StoredTask> tasks;
  for (;;) {
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return tasks;
    StoredTask t;
    t.id = s.int_at(0);
    t.table_path = s.text_at(1);
    t.name = s.text_at(2);
    t.run_num = s.int_at(3);
    t.need_run_num = s.int_at(4);
    auto state = task_state_from(s.text_at(5));
    if (!state) {
      return Error{db_path() + ": task " + std::to_string(t.id) + " has unknown state '" +
                   s.text_at(5) + "'"};
    }
    t.state = *state;
    t.last_error = s.text_at(6);
    t.identity = s.text_at(7);
    tasks.push_back(std::move(t));
  }
}

Status SqliteStore::set_task_state(int64_t task_id, StoredTaskState state, const std::string& last_error) {
  auto& s = *impl_->update_task_state;
  if (auto b = s.bind(task_id, to_string(state), last_error); !b) return b;
  if (auto r = s.run(); !r) return r;
  if (impl_->db->changes() != 1) {
    return Error{db_path() + ": cannot update task " + std::to_string(task_id) + ": no such task"};
  }
  return ok_status();
}

Result<int64_t> SqliteStore::insert_run(const NewRun& run) {
  auto& s = *impl_->insert_run;
  if (auto b = s.bind(run.task_id, run.attempt, run.start_ms, gpus_to_text(run.gpus), run.out_path,
                      run.err_path);
      !b) {
    return b.error();
  }
  // A single statement outside BEGIN is its own transaction: committed when run() returns.
  if (auto r = s.run(); !r) {
    return Error{r.error().message + " (task " + std::to_string(run.task_id) + ")"};
  }
  return impl_->db->last_insert_rowid();
}

Status SqliteStore::mark_running(int64_t run_id, const std::string& handle,
                                 const std::string& out_path, const std::string& err_path) {
  auto& s = *impl_->mark_running;
  if (auto b = s.bind(run_id, handle, out_path, err_path); !b) {
    return b;
  }
  if (auto r = s.run(); !r) return r;
  if (impl_->db->changes() != 1) {
    return Error{db_path() + ": cannot mark run " + std::to_string(run_id) +
                 " running: no such run, or it is not starting"};
  }
  return ok_status();
}

Status SqliteStore::record_run_memory(int64_t run_id, std::optional<int64_t> peak_mib,
                                     const std::string& series, const std::string& holders) {
  auto& s = *impl_->record_memory;
  if (auto b = s.bind(run_id, peak_mib, series, holders); !b) return b;
  return s.run();
}

Status SqliteStore::record_exit(int64_t run_id, const RunExit& exit, RunState outcome,
                          const std::string& classification, const std::string& message) {
  if (!is_final(outcome)) {
    return Error{"record_exit of run " + std::to_string(run_id) + ": '" + to_string(outcome) +
                 "' is not a final state"};
  }
  std::optional<int64_t> started;
  if (exit.started_ms > 0) started = exit.started_ms;
  std::optional<int64_t> ended;
  if (exit.ended_ms > 0) ended = exit.ended_ms;
  return impl_->in_transaction([&]() -> Status {
    auto& s = *impl_->finish_run;
    if (auto b = s.bind(run_id, to_string(outcome), started, ended, exit.exit_code, exit.signal,
                        classification, message);
        !b) {
      return b;
    }
    if (auto r = s.run(); !r) return r;
    if (impl_->db->changes() != 1) {
      return Error{db_path() + ": cannot record the exit of run " + std::to_string(run_id) +
                   ": no such run, or its exit was recorded already"};
    }
    if (outcome != RunState::kSucceeded) return ok_status();
    auto& bump = *impl_->bump_run_num;
    if (auto b = bump.bind(run_id); !b) return b;
    return bump.run();
  });
}

Result<std::vector<StoredRun>> SqliteStore::runs_in_state(const std::vector<RunState>& states) {
  if (states.empty()) return std::vector<StoredRun>();
  // Asked once per start (adoption), so prepared on the spot rather than kept.
  std::string sql = std::string("SELECT ") + kRunColumns + " FROM runs WHERE state IN (";
  for (size_t i = 0; i < states.size(); ++i) {
    sql += i ? ", '" : "'";
    sql += to_string(states[i]);  // fixed names, never user text
    sql += "'";
  }
  sql += ") ORDER BY run_id";
  auto s = impl_->db->prepare(sql, "read runs by state");
  if (!s) return s.error();
  return read_runs(**s, db_path());
}

Result<std::vector<StoredRun>> SqliteStore::all_runs() {
  auto& s = *impl_->select_all_runs;
  if (auto b = s.bind(); !b) return b.error();
  return read_runs(s, db_path());
}

Result<std::map<int64_t, int64_t>> SqliteStore::task_memory_peaks() {
  auto& s = *impl_->select_peaks;
  if (auto b = s.bind(); !b) return b.error();
  std::map<int64_t, int64_t> peaks;
  for (;;) {
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return peaks;
    peaks[s.int_at(0)] = s.int_at(1);
  }
}

Result<std::vector<StoredRun>> SqliteStore::runs_for_task(int64_t task_id) {
  auto& s = *impl_->select_task_runs;
  if (auto b = s.bind(task_id); !b) return b.error();
  return read_runs(s, db_path());
}

Result<std::optional<StoredRun>> SqliteStore::run(int64_t run_id) {
  auto& s = *impl_->select_run;
  if (auto b = s.bind(run_id); !b) return b.error();
  auto runs = read_runs(s, db_path());
  if (!runs) return runs.error();
  if (runs->empty()) return std::optional<StoredRun>();
  return std::optional<StoredRun>(std::move(runs->front()));
}

Result<std::optional<std::string>> SqliteStore::setting(const std::string& key) {
  return impl_->lookup(*impl_->select_setting, key);
}

Status SqliteStore::set_setting(const std::string& key, const std::string& value) {
  auto& s = *impl_->upsert_setting;
  if (auto b = s.bind(key, value); !b) return b;
  return s.run();
}

Result<std::optional<std::string>> SqliteStore::meta(const std::string& key) {
  return impl_->lookup(*impl_->select_meta, key);
}

Status SqliteStore::set_meta(const std::string& key, const std::string& value) {
  auto& s = *impl_->upsert_meta;
  if (auto b = s.bind(key, value); !b) return b;
  return s.run();
}

}  // namespace flowline

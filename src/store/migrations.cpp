#include "store/migrations.hpp"

namespace flowline {

const std::vector<std::string>& schema_migrations() {
  static const std::vector<std::string> steps = {
      // 1: tasks, runs, settings, meta.
      R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,               -- the task's id (its row when first seen)
  table_path TEXT NOT NULL,
  name TEXT NOT NULL,
  run_num INTEGER NOT NULL DEFAULT 0,   -- successful runs so far (the table mirrors it)
  need_run_num INTEGER NOT NULL DEFAULT 1,
  state TEXT NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'running', 'done', 'failed', 'dropped')),
  last_error TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE runs (
  run_id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, even after deletes
  task_id INTEGER NOT NULL REFERENCES tasks (id),
  attempt INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('starting', 'running', 'succeeded', 'failed', 'oom',
                                       'killed', 'timeout', 'lost')),
  start_ms INTEGER,
  end_ms INTEGER,
  gpus TEXT NOT NULL DEFAULT '',        -- "0,1"
  exit_code INTEGER,
  signal INTEGER,
  classification TEXT NOT NULL DEFAULT '',
  out_path TEXT NOT NULL DEFAULT '',
  err_path TEXT NOT NULL DEFAULT '',
  supervisor_pid INTEGER,
  session_id INTEGER,
  run_dir TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX runs_by_task ON runs (task_id);
CREATE INDEX runs_by_state ON runs (state);
)sql",
      // 2: tasks are known by identity, not row (core/task_identity.hpp). Tasks from
      // version 1 have none until the next start matches them by row and name.
      R"sql(
ALTER TABLE tasks ADD COLUMN identity TEXT NOT NULL DEFAULT '';
CREATE INDEX tasks_by_identity ON tasks (identity);
)sql",
      // 3: what each run was measured to use on its GPUs (core/run_memory.hpp), kept as text
      // the store does not interpret: "time:mib,…" and one line per other process.
      R"sql(
ALTER TABLE runs ADD COLUMN peak_mem_mib INTEGER;
ALTER TABLE runs ADD COLUMN mem_series TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN mem_holders TEXT NOT NULL DEFAULT '';
)sql",
      // 4: a run is found again through an opaque handle its executor wrote (local or
      // Slurm), not through a local supervisor's pid, session and directory. A run still
      // live from version 3 was local: its handle is written in the local executor's form
      // (exec/local/run_record.hpp), once, here.
      R"sql(
ALTER TABLE runs ADD COLUMN handle TEXT NOT NULL DEFAULT '';
UPDATE runs SET handle = 'local:' || coalesce(supervisor_pid, 0) || ':' ||
                         coalesce(session_id, 0) || ':' || run_dir
  WHERE state IN ('starting', 'running') AND (supervisor_pid IS NOT NULL OR run_dir <> '');
ALTER TABLE runs DROP COLUMN supervisor_pid;
ALTER TABLE runs DROP COLUMN session_id;
ALTER TABLE runs DROP COLUMN run_dir;
)sql",
  };
  return steps;
}

Result<int64_t> schema_version(sqlite::Db& db) {
  auto text = db.query_text("PRAGMA user_version", "read the schema version");
  if (!text) return text.error();
  return std::stoll(*text);
}

Status apply_migrations(sqlite::Db& db, const std::vector<std::string>& steps) {
  auto version = schema_version(db);
  if (!version) return version.error();
  const auto known = static_cast<int64_t>(steps.size());
  if (*version > known) {
    return Error{db.path() + ": schema version " + std::to_string(*version) +
                 " is newer than this FlowLine knows (" + std::to_string(known) +
                 "); use the FlowLine that wrote it or a newer one"};
  }
  for (int64_t v = *version; v < known; ++v) {
    const std::string what = "migrate the schema to version " + std::to_string(v + 1);
    if (auto s = db.exec("BEGIN IMMEDIATE", what); !s) return s;
    Status s = db.exec(steps[static_cast<size_t>(v)], what);
    if (s) s = db.exec("PRAGMA user_version = " + std::to_string(v + 1), what);
    if (s) s = db.exec("COMMIT", what);
    if (!s) {
      (void)db.exec("ROLLBACK", what);
      return s;
    }
  }
  return ok_status();
}

}  // namespace flowline

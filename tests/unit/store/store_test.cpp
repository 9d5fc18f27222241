#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "store/migrations.hpp"
#include "store/sqlite_db.hpp"
#include "support/temp_dir.hpp"

namespace flowline {
namespace {

using flowline::testing::TempDir;

std::unique_ptr<SqliteStore> open_store(const std::string& dir) {
  auto store = SqliteStore::open(dir);
  EXPECT_TRUE(store.ok()) << store.error().message;
  return std::move(store).value();
}

StoredTask task(int64_t id, int64_t need = 1) {
  StoredTask t;
  t.id = id;
  t.table_path = "todo.csv";
  t.name = "Task:" + std::to_string(id);
  t.need_run_num = need;
  return t;
}

NewRun new_run(int64_t task_id, std::vector<int> gpus = {0}) {
  NewRun r;
  r.task_id = task_id;
  r.gpus = std::move(gpus);
  r.out_path = "log/x.out";
  r.err_path = "log/x.err";
  r.start_ms = 1000;
  return r;
}

RunExit exited(int code) {
  RunExit e;
  e.exit_code = code;
  e.started_ms = 1100;
  e.ended_ms = 2000;
  return e;
}

class StoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string state_dir() const { return dir_.path() + "/state"; }
};

TEST_F(StoreTest, CreatesSchemaFromNothing) {
  auto store = open_store(state_dir());
  EXPECT_TRUE(std::filesystem::exists(state_dir() + "/flowline.db"));
  auto db = sqlite::Db::open(state_dir() + "/flowline.db");
  ASSERT_TRUE(db.ok());
  auto version = schema_version(**db);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, static_cast<int64_t>(schema_migrations().size()));
  EXPECT_EQ(*(*db)->query_text("PRAGMA journal_mode", "q"), "wal");
  EXPECT_TRUE(store->tasks()->empty());
  EXPECT_TRUE(store->all_runs()->empty());
}

TEST_F(StoreTest, TasksAndRunsSurviveReopen) {
  int64_t run_id = 0;
  {
    auto store = open_store(state_dir());
    ASSERT_TRUE(store->upsert_tasks({task(0, 2), task(1)}).ok());
    auto id = store->insert_run(new_run(0, {2, 0}));
    ASSERT_TRUE(id.ok()) << id.error().message;
    run_id = *id;
    ASSERT_TRUE(store->mark_running(run_id, "local:4321:4321:/r/1", "", "").ok());
    ASSERT_TRUE(store->set_setting("max", "4").ok());
  }
  auto store = open_store(state_dir());
  auto tasks = store->tasks();
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 2u);
  EXPECT_EQ((*tasks)[0].need_run_num, 2);
  EXPECT_EQ((*tasks)[1].name, "Task:1");
  auto live = store->runs_in_state({RunState::kStarting, RunState::kRunning});
  ASSERT_TRUE(live.ok());
  ASSERT_EQ(live->size(), 1u);
  const StoredRun& r = (*live)[0];
  EXPECT_EQ(r.run_id, run_id);
  EXPECT_EQ(r.state, RunState::kRunning);
  EXPECT_EQ(r.gpus, (std::vector<int>{2, 0}));
  EXPECT_EQ(r.handle, "local:4321:4321:/r/1");
  EXPECT_EQ(*store->setting("max"), std::optional<std::string>("4"));
  EXPECT_EQ(*store->setting("min"), std::nullopt);
}

// The engine saves the settings a user changes through the Store interface: a value is
// replaced, not added to, and the last one is what the next start reads.
TEST_F(StoreTest, SettingsAreReplacedAndTheLastSurvivesReopen) {
  {
    auto sqlite = open_store(state_dir());
    Store& store = *sqlite;
    EXPECT_EQ(*store.setting("max_running"), std::nullopt);
    ASSERT_TRUE(store.set_setting("max_running", "3").ok());
    ASSERT_TRUE(store.set_setting("max_running", "7").ok());
    ASSERT_TRUE(store.set_setting("disabled_gpus", "").ok());
    EXPECT_EQ(*store.setting("max_running"), std::optional<std::string>("7"));
  }
  auto sqlite = open_store(state_dir());
  Store& store = *sqlite;
  EXPECT_EQ(*store.setting("max_running"), std::optional<std::string>("7"));
  EXPECT_EQ(*store.setting("disabled_gpus"), std::optional<std::string>(""));  // none, not unset
  EXPECT_EQ(*store.setting("gpu_order"), std::nullopt);
}

TEST_F(StoreTest, SuccessBumpsRunNumInTheSameTransaction) {
  auto store = open_store(state_dir());
  ASSERT_TRUE(store->upsert_tasks({task(0, 3)}).ok());
  auto ok_run = *store->insert_run(new_run(0));
  auto bad_run = *store->insert_run(new_run(0));
  ASSERT_TRUE(store->record_exit(ok_run, exited(0), RunState::kSucceeded, "exit 0", "").ok());
  ASSERT_TRUE(store->record_exit(bad_run, exited(1), RunState::kFailed, "exit 1", "boom").ok());
  EXPECT_EQ((*store->tasks())[0].run_num, 1);
  // A second report of the same exit (e.g. once before and once after a restart) is refused
  // and changes nothing: run_num is counted once.
  auto again = store->record_exit(ok_run, exited(0), RunState::kSucceeded, "exit 0", "");
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("recorded already"), std::string::npos);
  EXPECT_EQ((*store->tasks())[0].run_num, 1);
  auto failed = *store->run(bad_run);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->state, RunState::kFailed);
  EXPECT_EQ(failed->exit_code, 1);
  EXPECT_EQ(failed->start_ms, 1100);
  EXPECT_EQ(failed->end_ms, 2000);
  EXPECT_EQ(failed->message, "boom");
}

TEST_F(StoreTest, RecordsSignalAndLostRuns) {
  auto store = open_store(state_dir());
  ASSERT_TRUE(store->upsert_tasks({task(0)}).ok());
  auto id = *store->insert_run(new_run(0));
  RunExit killed;
  killed.signal = 9;
  killed.ended_ms = 5;
  ASSERT_TRUE(store->record_exit(id, killed, RunState::kKilled, "signal 9", "").ok());
  auto lost_id = *store->insert_run(new_run(0));
  RunExit lost;
  lost.lost = true;
  ASSERT_TRUE(store->record_exit(lost_id, lost, RunState::kLost, "lost", "no record").ok());
  auto runs = *store->runs_for_task(0);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].signal, 9);
  EXPECT_FALSE(runs[0].exit_code);
  EXPECT_EQ(runs[1].state, RunState::kLost);
  EXPECT_FALSE(runs[1].exit_code || runs[1].signal || runs[1].end_ms);
  EXPECT_EQ((*store->tasks())[0].run_num, 0);
}

TEST_F(StoreTest, RunOfUnknownTaskIsRefused) {
  auto store = open_store(state_dir());
  auto id = store->insert_run(new_run(5));
  ASSERT_FALSE(id.ok());
  EXPECT_NE(id.error().message.find("task 5"), std::string::npos) << id.error().message;
}

TEST_F(StoreTest, RunIdsAreNeverReused) {
  auto store = open_store(state_dir());
  ASSERT_TRUE(store->upsert_tasks({task(0)}).ok());
  auto a = *store->insert_run(new_run(0));
  auto b = *store->insert_run(new_run(0));
  EXPECT_GT(b, a);
}

TEST_F(StoreTest, TaskStateUpdates) {
  auto store = open_store(state_dir());
  ASSERT_TRUE(store->upsert_tasks({task(0)}).ok());
  ASSERT_TRUE(store->set_task_state(0, StoredTaskState::kFailed, "exit 1 after 3 tries").ok());
  auto t = (*store->tasks())[0];
  EXPECT_EQ(t.state, StoredTaskState::kFailed);
  EXPECT_EQ(t.last_error, "exit 1 after 3 tries");
  EXPECT_FALSE(store->set_task_state(9, StoredTaskState::kDone, "").ok());
}

// A second FlowLine on the same state directory is refused, naming the holder.
TEST_F(StoreTest, SecondInstanceIsLockedOut) {
  auto first = open_store(state_dir());
  auto second = SqliteStore::open(state_dir());
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find("in use by another FlowLine (pid " +
                                        std::to_string(getpid()) + ")"),
            std::string::npos)
      << second.error().message;
  first.reset();
  EXPECT_TRUE(SqliteStore::open(state_dir()).ok());
}

// Runs `body` in a child process that then dies by SIGKILL, as FlowLine might at any moment.
void in_killed_child(const std::function<void()>& body) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    body();
    raise(SIGKILL);
    _exit(1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

TEST_F(StoreTest, CommittedWritesSurviveKill9) {
  const std::string dir = state_dir();
  {
    auto store = open_store(dir);
    ASSERT_TRUE(store->upsert_tasks({task(0, 2)}).ok());
  }
  in_killed_child([&] {
    auto store = SqliteStore::open(dir);
    if (!store) _exit(2);
    auto id = (*store)->insert_run(new_run(0));  // then "crash" before spawning
    auto done = (*store)->insert_run(new_run(0));
    if (!id || !done) _exit(3);
    if (!(*store)->record_exit(*done, exited(0), RunState::kSucceeded, "", "")) _exit(4);
  });
  auto store = open_store(dir);  // the lock died with the child
  auto starting = *store->runs_in_state({RunState::kStarting});
  ASSERT_EQ(starting.size(), 1u);
  EXPECT_EQ(starting[0].task_id, 0);
  auto succeeded = *store->runs_in_state({RunState::kSucceeded});
  ASSERT_EQ(succeeded.size(), 1u);
  EXPECT_EQ((*store->tasks())[0].run_num, 1);
}

// A database written before identities (schema 1) opens, keeps its tasks and progress, and
// takes identities from then on.
TEST_F(StoreTest, ADatabaseFromBeforeIdentitiesKeepsItsTasks) {
  std::filesystem::create_directories(state_dir());
  {
    auto db = std::move(sqlite::Db::open(state_dir() + "/flowline.db")).value();
    ASSERT_TRUE(apply_migrations(*db, {schema_migrations()[0]}).ok());
    ASSERT_TRUE(db->exec("INSERT INTO tasks (id, table_path, name, run_num) "
                         "VALUES (0, 't.csv', 'a', 2)", "insert a v1 task").ok());
  }
  auto store = open_store(state_dir());
  auto tasks = store->tasks();
  ASSERT_TRUE(tasks.ok()) << tasks.error().message;
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_EQ((*tasks)[0].run_num, 2);
  EXPECT_EQ((*tasks)[0].identity, "");
  StoredTask t = (*tasks)[0];
  t.identity = std::string(32, 'a');
  ASSERT_TRUE(store->upsert_tasks({t}).ok());
  EXPECT_EQ(store->tasks()->at(0).identity, std::string(32, 'a'));
}

// A database from before executor handles (schema 3) keeps its live local runs adoptable:
// their supervisor pid, session and directory become a local handle; ended runs need none.
TEST_F(StoreTest, ADatabaseFromBeforeHandlesGivesItsLiveRunsLocalHandles) {
  std::filesystem::create_directories(state_dir());
  {
    auto db = std::move(sqlite::Db::open(state_dir() + "/flowline.db")).value();
    const auto& steps = schema_migrations();
    ASSERT_TRUE(apply_migrations(*db, {steps[0], steps[1], steps[2]}).ok());
    ASSERT_TRUE(db->exec("INSERT INTO tasks (id, table_path, name) VALUES (0, 't.csv', 'a');"
                         "INSERT INTO runs (task_id, attempt, state, supervisor_pid, session_id,"
                         " run_dir) VALUES (0, 1, 'running', 4321, 4321, '/state/runs/1:x');"
                         "INSERT INTO runs (task_id, attempt, state, supervisor_pid, session_id,"
                         " run_dir) VALUES (0, 2, 'succeeded', 77, 77, '/state/runs/2');"
                         "INSERT INTO runs (task_id, attempt, state) VALUES (0, 3, 'starting')",
                         "insert v3 runs")
                    .ok());
  }
  auto store = open_store(state_dir());
  auto runs = store->runs_for_task(0);
  ASSERT_TRUE(runs.ok()) << runs.error().message;
  ASSERT_EQ(runs->size(), 3u);
  EXPECT_EQ((*runs)[0].handle, "local:4321:4321:/state/runs/1:x");
  EXPECT_EQ((*runs)[1].handle, "");
  EXPECT_EQ((*runs)[2].handle, "");  // stored before its launch returned: found by run id
}

TEST_F(StoreTest, MigrationsApplyOnlyMissingSteps) {
  std::filesystem::create_directories(state_dir());
  const std::string path = state_dir() + "/test.db";
  {
    auto db = std::move(sqlite::Db::open(path)).value();
    ASSERT_TRUE(apply_migrations(*db, {"CREATE TABLE a (x INTEGER)"}).ok());
  }
  auto db = std::move(sqlite::Db::open(path)).value();
  // Step 1 would fail if it ran again (table a exists).
  auto s = apply_migrations(*db, {"CREATE TABLE a (x INTEGER)", "CREATE TABLE b (y INTEGER)"});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(*schema_version(*db), 2);
  EXPECT_TRUE(db->exec("INSERT INTO b VALUES (1)", "use b").ok());
}

TEST_F(StoreTest, FailedMigrationStepLeavesVersionUnchanged) {
  std::filesystem::create_directories(state_dir());
  auto db = std::move(sqlite::Db::open(state_dir() + "/test.db")).value();
  auto s = apply_migrations(*db, {"CREATE TABLE a (x INTEGER)", "CREATE TABLE a (x INTEGER)"});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("version 2"), std::string::npos) << s.error().message;
  EXPECT_EQ(*schema_version(*db), 1);
}

TEST_F(StoreTest, NewerSchemaIsRefused) {
  std::filesystem::create_directories(state_dir());
  {
    auto db = std::move(sqlite::Db::open(state_dir() + "/flowline.db")).value();
    ASSERT_TRUE(db->exec("PRAGMA user_version = 99", "set").ok());
  }
  auto store = SqliteStore::open(state_dir());
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("schema version 99 is newer"), std::string::npos)
      << store.error().message;
}

TEST_F(StoreTest, UnusableStateDirIsAnErrorNamingIt) {
  auto store = SqliteStore::open("/proc/flowline-no-such-state");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("/proc/flowline-no-such-state"), std::string::npos);
}

}  // namespace
}  // namespace flowline

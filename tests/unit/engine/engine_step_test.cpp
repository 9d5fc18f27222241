// The engine driven pass by pass (Engine::step) with fakes that fail on demand: a launch that
// fails, a store that cannot record, an exit reported twice or never, a clock that jumps.
// What is checked is what a user would: the runs started, and the progress the database keeps.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/engine.hpp"
#include "fakes/failing_store.hpp"
#include "fakes/fake_executor.hpp"
#include "store/sqlite_store.hpp"
#include "support/temp_dir.hpp"
#include "table/table_file.hpp"

namespace flowline::testing {
namespace {

class EngineStep : public ::testing::Test {
 protected:
  // Tasks "a" (id 0) and "b" (id 1), CPU only, one run each, and `more` others.
  void start(int64_t max_running = 4, int more = 0) {
    std::ofstream csv(dir_.file("t.csv"));
    csv << "name,gpus,cmd\na,0,true\nb,0,true\n";
    for (int i = 0; i < more; ++i) csv << "m" << i << ",0,true\n";
    csv.close();
    Result<TaskTable> table = load_task_table(dir_.file("t.csv"));
    ASSERT_TRUE(table.ok()) << table.error().message;
    auto sqlite = SqliteStore::open(dir_.file("state"));
    ASSERT_TRUE(sqlite.ok()) << sqlite.error().message;
    sqlite_ = std::move(*sqlite);
    store_ = std::make_unique<FailingStore>(*sqlite_);
    auto tmpl = CommandTemplate::parse("{cmd}", table->columns);
    ASSERT_TRUE(tmpl.ok());
    builder_ = std::make_unique<TemplateCommandBuilder>(std::move(*tmpl));
    EngineConfig config;
    config.table_path = dir_.file("t.csv");
    config.settings.max_running = max_running;
    config.settings.retries = 1;
    config.settings.retry_backoff_base_ms = 1000;
    config.log_dir = dir_.file("log");
    config.work_dir = dir_.path();
    config.gpu_order = [](const GpuInfo& a, const GpuInfo& b) { return a.index < b.index; };
    config.table_has_run_num = false;  // the file has no run_num column yet
    config.table_coalesce_ms = 0;
    std::filesystem::create_directories(config.log_dir);
    EngineParts parts{&clock_, &gpus_, &exec_, store_.get(), builder_.get(), nullptr};
    engine_ = std::make_unique<Engine>(std::move(config), std::move(*table), parts);
    ASSERT_TRUE(engine_->recover().ok());
    engine_->begin();
  }
  Engine::Step step() { return engine_->step(); }
  // run_num as the database has it, by task name.
  std::map<std::string, int64_t> run_nums() {
    std::map<std::string, int64_t> out;
    Result<std::vector<StoredTask>> tasks = sqlite_->tasks();
    for (const StoredTask& t : *tasks) out[t.name] = t.run_num;
    return out;
  }
  int64_t succeeded_runs(int64_t task_id) {
    int64_t n = 0;
    Result<std::vector<StoredRun>> runs = sqlite_->runs_for_task(task_id);
    for (const StoredRun& r : *runs) n += r.state == RunState::kSucceeded;
    return n;
  }

  TempDir dir_;
  FakeClock clock_;
  NoGpuFeed gpus_;
  FakeExecutor exec_;
  std::unique_ptr<SqliteStore> sqlite_;
  std::unique_ptr<FailingStore> store_;
  std::unique_ptr<CommandBuilder> builder_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineStep, ALaunchThatFailsIsChargedToItsTaskAndRetriedAfterTheBackoff) {
  exec_.fail_launches = 1;
  start();
  step();
  EXPECT_EQ(exec_.launches, 2);
  ASSERT_EQ(exec_.live.size(), 1u);  // the first launch (task a) failed
  EXPECT_EQ(exec_.run_of(0), -1);
  clock_.advance(999);
  step();
  EXPECT_EQ(exec_.launches, 2) << "retried before its backoff ended";
  clock_.advance(2);
  step();
  EXPECT_EQ(exec_.launches, 3);
  ASSERT_NE(exec_.run_of(0), -1);
  exec_.end(exec_.run_of(0), 0);
  exec_.end(exec_.run_of(1), 0);
  Engine::Step last = step();
  while (last != Engine::Step::kEnd) last = step();
  EXPECT_EQ(engine_->end(), 0) << engine_->snapshot()->table_unwritten;
  EXPECT_EQ(run_nums(), (std::map<std::string, int64_t>{{"a", 1}, {"b", 1}}));
}

TEST_F(EngineStep, AnExitTheStoreCannotRecordIsKeptRetriedAndCountedOnce) {
  start();
  step();
  ASSERT_EQ(exec_.live.size(), 2u);
  store_->fail_record_exit = 3;
  exec_.end(exec_.run_of(0), 0);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NE(step(), Engine::Step::kEnd);
    clock_.advance(1000);
  }
  EXPECT_EQ(store_->failed, 3);
  step();  // the store takes it now
  EXPECT_EQ(run_nums()["a"], 1);
  EXPECT_EQ(succeeded_runs(0), 1);
  exec_.end(exec_.run_of(1), 0);
  Engine::Step last = step();
  while (last != Engine::Step::kEnd) last = step();
  EXPECT_EQ(engine_->end(), 0);
  EXPECT_EQ(run_nums(), (std::map<std::string, int64_t>{{"a", 1}, {"b", 1}}));
  EXPECT_EQ(exec_.launches, 2) << "a run whose exit was recorded late ran again";
}

TEST_F(EngineStep, AnExitReportedTwiceCountsOnce) {
  start();
  step();
  exec_.end(exec_.run_of(0), 0, 2);
  exec_.end(exec_.run_of(1), 0);
  Engine::Step last = step();
  while (last != Engine::Step::kEnd) last = step();
  EXPECT_EQ(engine_->end(), 0);
  EXPECT_EQ(run_nums(), (std::map<std::string, int64_t>{{"a", 1}, {"b", 1}}));
  EXPECT_EQ(succeeded_runs(0), 1);
}

// A run whose end never comes holds its slot, even once the user killed it: nothing starts in
// its place until its exit is known (a second run of a task that may still be running would
// run it twice).
TEST_F(EngineStep, ARunWhoseExitNeverComesKeepsItsSlotUntilItsEndIsKnown) {
  start(/*max_running=*/1);
  step();
  ASSERT_EQ(exec_.launches, 1);
  const int64_t run = exec_.run_of(0);
  for (int i = 0; i < 5; ++i) {
    clock_.advance(3'600'000);
    step();
  }
  EXPECT_EQ(exec_.launches, 1);
  ASSERT_TRUE(engine_->kill_run(run).ok());
  EXPECT_EQ(exec_.stops, std::vector<int64_t>{run});
  clock_.advance(60'000);
  step();
  EXPECT_EQ(exec_.launches, 1) << "started another run while the killed one had not ended";
  exec_.end(run, 143);
  step();
  EXPECT_EQ(exec_.launches, 2);  // the killed task went back to the queue and started again
}

// An executor whose launches are slow (sbatch) gets them a few per pass: the commands that
// came meanwhile are served between passes, and the rest follow without waiting for an event.
TEST_F(EngineStep, LaunchesBeyondTheExecutorsPerPassWaitForTheNextPassNotForAnEvent) {
  exec_.per_pass = 2;
  start(/*max_running=*/10, /*more=*/3);
  EXPECT_EQ(step(), Engine::Step::kWait);
  EXPECT_EQ(exec_.launches, 2);
  step();  // no event, no time: the wakeup the first pass left
  EXPECT_EQ(exec_.launches, 4);
  step();
  EXPECT_EQ(exec_.launches, 5);
  step();
  EXPECT_EQ(exec_.launches, 5);
}

// FakeClock can go back, which SystemClock never does (core/system_clock.hpp): a backoff then
// simply lasts longer, and the engine neither stalls for good nor retries early.
TEST_F(EngineStep, TheClockJumpingBackAndForthNeitherRetriesEarlyNorStallsForGood) {
  exec_.fail_launches = 1;
  start();
  step();
  ASSERT_EQ(exec_.launches, 2);
  clock_.advance(-3'600'000);
  step();
  clock_.advance(3'600'000 + 500);
  step();
  EXPECT_EQ(exec_.launches, 2);
  clock_.advance(600);
  step();
  EXPECT_EQ(exec_.launches, 3);
}

}  // namespace
}  // namespace flowline::testing

#include "core/scheduler.hpp"

#include <gtest/gtest.h>

#include <set>

namespace flowline {
namespace {

GpuInfo gpu(int index, int64_t free_mib, int64_t total_mib = 24000) {
  GpuInfo g;
  g.index = index;
  g.free_memory_mib = free_mib;
  g.total_memory_mib = total_mib;
  return g;
}

Task task(int64_t id, int64_t min_mem, int64_t gpus = 1, int64_t need = 1) {
  Task t;
  t.id = id;
  t.name = "t" + std::to_string(id);
  t.min_mem = min_mem;
  t.gpus = gpus;
  t.need_run_num = need;
  return t;
}

bool by_index(const GpuInfo& a, const GpuInfo& b) { return a.index < b.index; }

struct SchedulerTest : ::testing::Test {
  SchedulerSettings settings;
  int64_t next_run = 1;
  // Launches every decision, as the engine would.
  std::vector<std::pair<int64_t, LaunchDecision>> step(Scheduler& s, Millis now,
                                                       const std::vector<GpuInfo>& gpus,
                                                       const RunUsage& usage = {}) {
    std::vector<std::pair<int64_t, LaunchDecision>> out;
    for (const auto& d : s.decide(now, gpus, usage, by_index)) {
      s.on_launched(next_run, d, now);
      out.emplace_back(next_run++, d);
    }
    return out;
  }
};

TEST_F(SchedulerTest, PromisedMemoryCountsAsUsedUntilTheRunAllocates) {
  Scheduler s({task(0, 10000), task(1, 10000), task(2, 10000)}, settings);
  // One 24000 MiB GPU: two runs fit, the third must wait even though NVML still shows 24000
  // free because the first two have not allocated yet.
  auto first = step(s, 0, {gpu(0, 24000)});
  EXPECT_EQ(first.size(), 2u);
  EXPECT_TRUE(step(s, 1, {gpu(0, 24000)}).empty());
  // Both runs now show their 10000 MiB: free 4000, nothing promised beyond it.
  RunUsage usage{{{1, 0}, 10000}, {{2, 0}, 10000}};
  EXPECT_TRUE(step(s, 2, {gpu(0, 4000)}, usage).empty());
  EXPECT_EQ(s.tasks()[2].wait->text.find("waiting for 10000 MiB"), 0u) << s.tasks()[2].wait->text;
}

TEST_F(SchedulerTest, NeverExceedsMax) {
  settings.max_running = 2;
  Scheduler s({task(0, 1), task(1, 1), task(2, 1), task(3, 1)}, settings);
  EXPECT_EQ(step(s, 0, {gpu(0, 24000), gpu(1, 24000)}).size(), 2u);
  EXPECT_TRUE(step(s, 0, {gpu(0, 24000), gpu(1, 24000)}).empty());
  s.on_exit(1, RunOutcome::kSucceeded, "", 5);
  EXPECT_EQ(step(s, 5, {gpu(0, 24000), gpu(1, 24000)}).size(), 1u);
}

TEST_F(SchedulerTest, MultiGpuTaskGetsDistinctGpusInUserOrder) {
  Scheduler s({task(0, 5000, 2)}, settings);
  auto runs = step(s, 0, {gpu(3, 20000), gpu(1, 20000), gpu(2, 1000)});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].second.gpus, (std::vector<int>{1, 3}));
}

TEST_F(SchedulerTest, DisabledGpusAreNeverUsed) {
  settings.disabled_gpus = {0};
  Scheduler s({task(0, 1000), task(1, 1000)}, settings);
  auto runs = step(s, 0, {gpu(0, 24000), gpu(1, 24000)});
  ASSERT_EQ(runs.size(), 2u);
  for (const auto& r : runs) EXPECT_EQ(r.second.gpus, std::vector<int>{1});
}

TEST_F(SchedulerTest, InfeasibleTasksSayWhyAndDoNotBlockTheRest) {
  Scheduler s({task(0, 30000), task(1, 1000, 3), task(2, 1000)}, settings);
  auto runs = step(s, 0, {gpu(0, 24000), gpu(1, 24000)});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].second.task_id, 2);
  EXPECT_EQ(s.state_of(s.tasks()[0], 0), TaskState::kInfeasible);
  EXPECT_NE(s.tasks()[0].wait->text.find("30000 MiB"), std::string::npos);
  EXPECT_NE(s.tasks()[1].wait->text.find("needs 3 GPUs"), std::string::npos);
  s.on_exit(runs[0].first, RunOutcome::kSucceeded, "", 1);
  EXPECT_TRUE(s.finished());
  EXPECT_FALSE(s.all_done());
}

TEST_F(SchedulerTest, OutOfMemoryBacksOffAvoidsThatGpuAndKeepsRetries) {
  settings.retries = 0;
  Scheduler s({task(0, 1000), task(1, 1000)}, settings);
  auto runs = step(s, 0, {gpu(0, 24000)});
  ASSERT_EQ(runs.size(), 2u);
  s.on_exit(runs[0].first, RunOutcome::kOutOfMemory, "CUDA out of memory", 100);
  EXPECT_EQ(s.state_of(s.tasks()[0], 100), TaskState::kBackoff);
  EXPECT_FALSE(s.tasks()[0].failed);  // OOM does not use up retries
  ASSERT_TRUE(s.next_wakeup(100));
  Millis wake = *s.next_wakeup(100);
  EXPECT_EQ(wake, 100 + settings.oom_backoff_base_ms);
  // After the backoff, GPU 0 is still avoided; GPU 1 is taken.
  auto again = step(s, wake, {gpu(0, 24000), gpu(1, 24000)});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].second.gpus, std::vector<int>{1});
}

TEST_F(SchedulerTest, RealFailuresUseRetriesThenFailWithoutBlockingOthers) {
  settings.retries = 1;
  settings.max_running = 1;
  Scheduler s({task(0, 1), task(1, 1)}, settings);
  auto r = step(s, 0, {gpu(0, 24000)});
  ASSERT_EQ(r[0].second.task_id, 0);
  s.on_exit(r[0].first, RunOutcome::kFailed, "exit 3", 10);
  // Task 0 waits out its backoff; task 1 runs meanwhile.
  r = step(s, 10, {gpu(0, 24000)});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].second.task_id, 1);
  s.on_exit(r[0].first, RunOutcome::kSucceeded, "", 20);
  Millis wake = *s.next_wakeup(20);
  r = step(s, wake, {gpu(0, 24000)});
  ASSERT_EQ(r[0].second.task_id, 0);
  s.on_exit(r[0].first, RunOutcome::kFailed, "exit 3 again", wake + 1);
  EXPECT_EQ(s.state_of(s.tasks()[0], wake + 1), TaskState::kFailed);
  EXPECT_EQ(s.tasks()[0].last_error, "exit 3 again");
  EXPECT_TRUE(s.finished());
}

TEST_F(SchedulerTest, KilledRunsAreRequeuedAtOnce) {
  Scheduler s({task(0, 1)}, settings);
  auto r = step(s, 0, {gpu(0, 24000)});
  s.on_exit(r[0].first, RunOutcome::kKilled, "killed by user", 5);
  EXPECT_EQ(s.state_of(s.tasks()[0], 5), TaskState::kQueued);
  EXPECT_EQ(step(s, 5, {gpu(0, 24000)}).size(), 1u);
}

TEST_F(SchedulerTest, PriorityThenTableOrder) {
  settings.max_running = 1;
  auto hi = task(2, 1);
  hi.priority = 5;
  Scheduler s({task(0, 1), task(1, 1), hi}, settings);
  EXPECT_EQ(step(s, 0, {gpu(0, 24000)})[0].second.task_id, 2);
}

// The order in which tasks are offered a place, read from launches one at a time.
std::vector<int64_t> launch_order(Scheduler&& s, std::vector<GpuInfo> gpus) {
  std::vector<int64_t> order;
  int64_t run = 1;
  for (Millis now = 0; order.size() < s.tasks().size(); ++now) {
    auto decided = s.decide(now, gpus, {}, by_index);
    if (decided.empty()) break;
    s.on_launched(run, decided[0], now);
    s.on_exit(run++, RunOutcome::kSucceeded, "", now);
    order.push_back(decided[0].task_id);
  }
  return order;
}

TEST_F(SchedulerTest, PackStartsTheLargestMemoryDemandFirstWithinAPriority) {
  settings.max_running = 1;
  settings.default_min_mem_mib = 3000;
  auto urgent = task(4, 1000);
  urgent.priority = 1;
  Task unset = task(5, 0);
  unset.min_mem.reset();  // the global setting: 3000 MiB
  std::vector<Task> tasks{task(0, 2000), task(1, 8000), task(2, 5000, 2), task(3, 8000), urgent,
                          unset};
  EXPECT_EQ(launch_order(Scheduler(tasks, settings), {gpu(0, 24000), gpu(1, 24000)}),
            (std::vector<int64_t>{4, 0, 1, 2, 3, 5}));
  settings.pack_largest_first = true;
  // Priority first; then 2 x 5000, 8000 twice (in table order), 3000 (the default), 2000.
  EXPECT_EQ(launch_order(Scheduler(tasks, settings), {gpu(0, 24000), gpu(1, 24000)}),
            (std::vector<int64_t>{4, 2, 1, 3, 5, 0}));
}

TEST_F(SchedulerTest, PackFollowsAChangedGlobalMinMem) {
  settings.max_running = 1;
  settings.pack_largest_first = true;
  Task unset = task(1, 0);
  unset.min_mem.reset();
  Scheduler s({task(0, 5000), unset}, settings);
  s.settings().default_min_mem_mib = 9000;  // the shell's `min 9000`
  EXPECT_EQ(launch_order(std::move(s), {gpu(0, 24000)}), (std::vector<int64_t>{1, 0}));
}

// A launch held under a placeholder (its command still being built) holds its slot and its
// memory; forgetting it frees both and counts nothing against the task.
TEST_F(SchedulerTest, AForgottenLaunchFreesItsSlotAndMemoryAndCostsTheTaskNothing) {
  settings.max_running = 1;
  Scheduler s({task(0, 20000), task(1, 20000)}, settings);
  auto decisions = s.decide(0, {gpu(0, 24000)}, {}, by_index);
  ASSERT_EQ(decisions.size(), 1u);
  s.on_launched(-1, decisions[0], 0);  // the placeholder
  EXPECT_TRUE(s.decide(1, {gpu(0, 24000)}, {}, by_index).empty());  // slot and memory held
  s.forget_launch(-1);
  EXPECT_EQ(s.tasks()[0].live_runs, 0);
  EXPECT_EQ(s.tasks()[0].failures, 0);
  auto again = s.decide(2, {gpu(0, 24000)}, {}, by_index);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].task_id, 0);  // first in table order, as before
  s.forget_launch(-7);             // unknown: nothing happens
  EXPECT_EQ(s.live_runs().size(), 0u);
}

TEST_F(SchedulerTest, RunsAUntilNeedRunNumWithRunNumbers) {
  Scheduler s({task(0, 1, 1, 3)}, settings);
  auto r = step(s, 0, {gpu(0, 24000)});
  ASSERT_EQ(r.size(), 3u);  // three runs of one task may run at once
  EXPECT_EQ(r[2].second.run_number, 3);
  for (auto& [id, d] : r) s.on_exit(id, RunOutcome::kSucceeded, "", 1);
  EXPECT_EQ(s.tasks()[0].task->run_num, 3);
  EXPECT_TRUE(s.all_done());
}

TEST_F(SchedulerTest, StoppedDispatchLaunchesNothing) {
  settings.dispatching = false;
  Scheduler s({task(0, 1)}, settings);
  EXPECT_TRUE(step(s, 0, {gpu(0, 24000)}).empty());
  s.settings().dispatching = true;
  EXPECT_EQ(step(s, 0, {gpu(0, 24000)}).size(), 1u);
}

TEST_F(SchedulerTest, CpuOnlyTasksNeedNoGpu) {
  Scheduler s({task(0, 0, 0)}, settings);
  auto r = step(s, 0, {});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(r[0].second.gpus.empty());
}

// Under Slurm the executor chooses GPUs: FlowLine sees none of them, so a launch needs only a
// slot, asks for the task's count, and memory no GPU here could hold does not stop it.
TEST_F(SchedulerTest, WhenTheExecutorPlacesGpusOnlySlotsCountAndTheTaskAsksItsCount) {
  settings.executor_places_gpus = true;
  settings.max_running = 3;
  Scheduler s({task(0, 500'000, 2), task(1, 10000, 0), task(2, 10000, 1), task(3, 10000, 4)},
              settings);
  auto launched = step(s, 0, {});
  ASSERT_EQ(launched.size(), 3u);
  EXPECT_EQ(launched[0].second.task_id, 0);
  EXPECT_EQ(launched[0].second.gpu_count, 2);
  EXPECT_TRUE(launched[0].second.gpus.empty());
  EXPECT_EQ(launched[1].second.gpu_count, 0);
  EXPECT_EQ(launched[2].second.gpu_count, 1);
  EXPECT_NE(s.tasks()[3].wait->text.find("--max 3"), std::string::npos) << s.tasks()[3].wait->text;
}

TEST_F(SchedulerTest, ErroredGpuIsNotUsed) {
  Scheduler s({task(0, 1)}, settings);
  GpuInfo broken = gpu(0, 24000);
  broken.error = "GPU is lost";
  auto r = step(s, 0, {broken, gpu(1, 24000)});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].second.gpus, std::vector<int>{1});
}

// The live table: a removed task is never dispatched, but its live run is still known and its
// end is taken; the task can come back with its id.
TEST_F(SchedulerTest, ARemovedTaskIsNotDispatchedButItsRunEnds) {
  Scheduler s({task(0, 1000, 1, 2), task(1, 1000)}, settings);
  auto r = step(s, 0, {gpu(0, 24000)});
  ASSERT_EQ(r.size(), 3u);  // two runs of task 0, one of task 1
  ASSERT_TRUE(s.remove_task(0));
  EXPECT_FALSE(s.has_task(0));
  EXPECT_TRUE(s.knows_task(0));
  EXPECT_FALSE(s.remove_task(0));
  s.on_exit(r[0].first, RunOutcome::kFailed, "boom", 1);
  EXPECT_TRUE(step(s, 100000, {gpu(0, 24000)}).empty()) << "a removed task was dispatched";
  s.on_exit(r[1].first, RunOutcome::kSucceeded, "", 2);
  s.on_exit(r[2].first, RunOutcome::kSucceeded, "", 2);
  EXPECT_TRUE(s.finished());
  EXPECT_TRUE(s.all_done());
  s.put_task(task(0, 1000, 1, 1));  // its row came back
  EXPECT_TRUE(s.has_task(0));
  EXPECT_EQ(step(s, 200000, {gpu(0, 24000)}).size(), 1u);
}

TEST_F(SchedulerTest, NewIdsLeaveHolesThatAreNeverDispatched) {
  Scheduler s({task(0, 1000)}, settings);
  s.put_task(task(5, 1000));
  EXPECT_EQ(s.tasks().size(), 6u);
  EXPECT_FALSE(s.has_task(3));
  auto r = step(s, 0, {gpu(0, 24000)});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].second.task_id, 5);
}

// Rows start in the order of the file as it is now, not in the order tasks were first seen.
TEST_F(SchedulerTest, DispatchFollowsTheRowsAsTheyAreNow) {
  settings.max_running = 1;
  Task first = task(0, 1000), second = task(1, 1000);
  first.row = 0;
  second.row = 1;
  Scheduler s({first, second}, settings);
  first.row = 1;  // the user moved task 1 to the top
  second.row = 0;
  s.update_task(first);
  s.update_task(second);
  auto r = step(s, 0, {gpu(0, 24000)});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].second.task_id, 1);
}

// A raised need_run_num means more runs; a new min_mem that fits clears "infeasible".
TEST_F(SchedulerTest, UpdatedBookkeepingAppliesToLaterRuns) {
  Scheduler s({task(0, 30000)}, settings);
  EXPECT_TRUE(step(s, 0, {gpu(0, 24000)}).empty());
  EXPECT_EQ(s.state_of(s.tasks()[0], 0), TaskState::kInfeasible);
  Task t = task(0, 8000, 1, 2);
  s.update_task(t);
  EXPECT_EQ(step(s, 1, {gpu(0, 24000)}).size(), 2u);
}

}  // namespace
}  // namespace flowline

namespace flowline {
namespace {

bool most_free_first(const GpuInfo& a, const GpuInfo& b) {
  return a.free_memory_mib.value_or(-1) > b.free_memory_mib.value_or(-1);
}

TEST(SchedulerOrder, FreeMemoryOrderSpreadsRunsOverEqualGpus) {
  SchedulerSettings settings;
  std::vector<Task> tasks;
  for (int i = 0; i < 4; ++i) {
    Task t;
    t.id = i;
    t.min_mem = 6000;
    tasks.push_back(t);
  }
  Scheduler s(tasks, settings);
  std::vector<GpuInfo> gpus(4);
  for (int i = 0; i < 4; ++i) {
    gpus[i].index = i;
    gpus[i].free_memory_mib = gpus[i].total_memory_mib = 24000;
  }
  auto decisions = s.decide(0, gpus, {}, most_free_first);
  ASSERT_EQ(decisions.size(), 4u);
  std::set<int> used;
  for (const auto& d : decisions) used.insert(d.gpus.at(0));
  EXPECT_EQ(used.size(), 4u) << "runs were stacked instead of spread by free memory";
}

// The engine rebuilds its 100,000 task views only when version() moves, so a pass that
// changes nothing must leave it alone, and every change a view shows must move it.
TEST_F(SchedulerTest, VersionMovesOnlyWhenATaskChanges) {
  settings.max_running = 1;
  Scheduler s({task(0, 1000), task(1, 1000), task(2, 30000)}, settings);
  auto runs = step(s, 0, {gpu(0, 24000)});
  ASSERT_EQ(runs.size(), 1u);
  const uint64_t after_launch = s.version();
  EXPECT_TRUE(step(s, 1, {gpu(0, 24000)}).empty());
  EXPECT_EQ(s.version(), after_launch) << "the same waiting reasons counted as a change";
  EXPECT_TRUE(step(s, 2, {gpu(0, 500)}).empty());
  EXPECT_GT(s.version(), after_launch) << "task 1 now waits for memory, not for a slot";
  const uint64_t before_exit = s.version();
  s.on_exit(runs[0].first, RunOutcome::kSucceeded, "", 3);
  EXPECT_GT(s.version(), before_exit);
}

TEST_F(SchedulerTest, ATaskHeldByASnapshotIsNeverChangedUnderIt) {
  Scheduler s({task(0, 1000, 1, 2)}, settings);
  std::shared_ptr<const Task> shown = s.tasks()[0].task;
  auto runs = step(s, 0, {gpu(0, 24000)});
  ASSERT_FALSE(runs.empty());
  s.on_exit(runs[0].first, RunOutcome::kSucceeded, "", 1);
  s.set_run_num(0, 2);
  EXPECT_EQ(shown->run_num, 0);
  EXPECT_EQ(s.tasks()[0].task->run_num, 2);
}

TEST_F(SchedulerTest, NextWakeupFollowsTimeAcrossSeveralBackoffs) {
  settings.max_running = 2;
  Scheduler s({task(0, 1000), task(1, 1000)}, settings);
  auto runs = step(s, 0, {gpu(0, 24000)});
  ASSERT_EQ(runs.size(), 2u);
  s.on_exit(runs[0].first, RunOutcome::kOutOfMemory, "CUDA out of memory", 100);
  s.on_exit(runs[1].first, RunOutcome::kOutOfMemory, "CUDA out of memory", 5000);
  std::optional<Millis> first = s.next_wakeup(200);
  ASSERT_TRUE(first.has_value());
  std::optional<Millis> second = s.next_wakeup(*first);  // the first has ended by then
  ASSERT_TRUE(second.has_value());
  EXPECT_GT(*second, *first);
  EXPECT_EQ(s.next_wakeup(200), first) << "an earlier time gets the earlier wake-up again";
}

TEST_F(SchedulerTest, AfterOutOfMemoryATaskAsksForWhatItWasSeenToUse) {
  settings.oom_backoff_base_ms = 100;
  Scheduler s({task(0, 2000)}, settings);
  auto runs = step(s, 0, {gpu(0, 24000)});
  ASSERT_EQ(runs.size(), 1u);
  OomFacts oom;
  oom.peak_mib = 7000;
  oom.largest_gpu_mib = 24000;
  s.on_exit(runs[0].first, RunOutcome::kOutOfMemory, "CUDA out of memory", 10, oom);
  EXPECT_EQ(s.requirement_of(s.tasks()[0]), 7700) << "peak plus 10 %";
  EXPECT_FALSE(s.tasks()[0].failed);
  // With 7000 free nowhere fits once the backoff and the avoided GPU have passed.
  EXPECT_TRUE(step(s, 100'000, {gpu(0, 7000), gpu(1, 7000)}).empty());
  EXPECT_EQ(step(s, 100'001, {gpu(0, 7000), gpu(1, 8000)}).size(), 1u);
}

// A run that asked too little (it, or a run of its group, was seen using more) is not kept off
// its GPU for the long OOM backoff: its next run, sized by what was seen, starts soon and
// anywhere it fits, here on the same GPU.
TEST_F(SchedulerTest, AnUndersizedOutOfMemoryRetriesSoonWithoutAvoidingTheGpu) {
  Scheduler s({task(0, 2000)}, settings);
  auto runs = step(s, 0, {gpu(0, 24000)});
  ASSERT_EQ(runs.size(), 1u);
  OomFacts oom;
  oom.peak_mib = 7000;
  oom.largest_gpu_mib = 24000;
  oom.undersized = true;
  s.on_exit(runs[0].first, RunOutcome::kOutOfMemory, "CUDA out of memory", 10, oom);
  ASSERT_TRUE(s.next_wakeup(10));
  EXPECT_EQ(*s.next_wakeup(10), 10 + settings.retry_backoff_base_ms);
  auto again = step(s, 10 + settings.retry_backoff_base_ms, {gpu(0, 24000)});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].second.gpus, std::vector<int>{0});
  EXPECT_EQ(again[0].second.min_mem_mib, 7700);
}

TEST_F(SchedulerTest, OutOfMemoryWithoutAMeasurementAsksForHalfAgainMore) {
  Scheduler s({task(0, 2000)}, settings);
  auto runs = step(s, 0, {gpu(0, 24000)});
  OomFacts oom;
  oom.largest_gpu_mib = 24000;
  s.on_exit(runs[0].first, RunOutcome::kOutOfMemory, "CUDA out of memory", 10, oom);
  EXPECT_EQ(s.requirement_of(s.tasks()[0]), 3000);
  s.retry(0);
  EXPECT_EQ(s.requirement_of(s.tasks()[0]), 2000) << "retry starts again from min_mem";
}

TEST_F(SchedulerTest, OutOfMemoryAloneOnAGpuOrBeyondTheLargestFailsTheTask) {
  Scheduler alone_s({task(0, 2000)}, settings);
  auto runs = step(alone_s, 0, {gpu(0, 24000)});
  OomFacts alone;
  alone.alone = true, alone.gpu = 0, alone.gpu_total_mib = 81559, alone.largest_gpu_mib = 81559;
  alone_s.on_exit(runs[0].first, RunOutcome::kOutOfMemory, "CUDA OOM", 10, alone);
  EXPECT_TRUE(alone_s.tasks()[0].failed);
  EXPECT_EQ(alone_s.tasks()[0].last_error,
            "CUDA OOM; out of memory even alone on GPU 0 (81,559 MiB): it needs more than any "
            "GPU here has");
  EXPECT_TRUE(alone_s.finished());

  Scheduler big({task(0, 20000)}, settings);
  runs = step(big, 0, {gpu(0, 24000)});
  OomFacts shared;
  shared.peak_mib = 23000, shared.largest_gpu_mib = 24000;
  big.on_exit(runs[0].first, RunOutcome::kOutOfMemory, "CUDA OOM", 10, shared);
  EXPECT_TRUE(big.tasks()[0].failed);
  EXPECT_NE(big.tasks()[0].last_error->find("more than the largest GPU here (24,000 MiB)"),
            std::string::npos)
      << big.tasks()[0].last_error;
}

}  // namespace
}  // namespace flowline

namespace flowline {
namespace {

Task grouped(int64_t id, const std::string& model) {
  Task t;
  t.id = id;
  t.name = "t" + std::to_string(id);
  t.params = TaskParams{{"model", model}};
  return t;
}

// --min-mem auto --mem-group model: one measured run teaches its group, so the group's next
// runs ask for its peak plus 10 % instead of the 10000 MiB default (issue 13).
TEST_F(SchedulerTest, LearnedMemoryPacksAGroupAfterItsFirstMeasurement) {
  settings.min_mem_auto = true;
  settings.mem_group_columns = {"model"};
  settings.max_running = 8;
  Scheduler s({grouped(0, "a"), grouped(1, "a"), grouped(2, "a"), grouped(3, "a"), grouped(4, "a"),
               grouped(5, "b")},
              settings);
  EXPECT_EQ(s.memory_requirement(s.tasks()[1]).source, MemSource::kGlobal);
  EXPECT_EQ(step(s, 0, {gpu(0, 24000)}).size(), 2u);  // 2 × 10000
  s.on_exit(1, RunOutcome::kSucceeded, "", 1);
  s.on_exit(2, RunOutcome::kSucceeded, "", 1);
  s.note_peak(0, 5000);
  MemRequirement r = s.memory_requirement(s.tasks()[2]);
  EXPECT_EQ(r.mib, 5500);
  EXPECT_EQ(r.source, MemSource::kGroup);
  EXPECT_EQ(r.group, "model=a");
  EXPECT_EQ(s.memory_requirement(s.tasks()[0]).source, MemSource::kRuns);
  EXPECT_EQ(s.memory_requirement(s.tasks()[5]).mib, 10000);  // another group learns nothing
  auto next = step(s, 2, {gpu(0, 24000)});
  ASSERT_EQ(next.size(), 3u);  // 5500 × 3 + 10000 > 24000: tasks 2, 3, 4
  EXPECT_EQ(next[0].second.min_mem_mib, 5500);
}

// A row's min_mem wins over --min-mem auto; `auto` in a row learns without the global flag.
TEST_F(SchedulerTest, OnlyTasksThatSayAutoLearn) {
  settings.mem_group_columns = {"model"};
  Task fixed = grouped(0, "a");
  fixed.min_mem = 7000;
  Task learner = grouped(1, "a");
  learner.min_mem_auto = true;
  Scheduler s({fixed, learner, grouped(2, "a")}, settings);
  s.note_peak(0, 3000);
  EXPECT_EQ(s.requirement_of(s.tasks()[0]), 7000);
  EXPECT_EQ(s.requirement_of(s.tasks()[1]), 3300);
  EXPECT_EQ(s.requirement_of(s.tasks()[2]), 10000);
  s.settings().min_mem_auto = true;
  EXPECT_EQ(s.requirement_of(s.tasks()[0]), 7000);
  EXPECT_EQ(s.requirement_of(s.tasks()[2]), 3300);
}

// An out-of-memory death raises a learned requirement like any other, and it stays raised.
TEST_F(SchedulerTest, OutOfMemoryRaisesALearnedRequirement) {
  settings.min_mem_auto = true;
  Scheduler s({grouped(0, "a")}, settings);
  s.note_peak(0, 4000);
  ASSERT_EQ(step(s, 0, {gpu(0, 24000)}).size(), 1u);
  OomFacts oom;
  oom.peak_mib = 4000;
  s.on_exit(1, RunOutcome::kOutOfMemory, "CUDA out of memory", 1, oom);
  MemRequirement r = s.memory_requirement(s.tasks()[0]);
  EXPECT_EQ(r.mib, 6600);  // 4400 × 1.5
  EXPECT_EQ(r.source, MemSource::kRaised);
}

}  // namespace
}  // namespace flowline

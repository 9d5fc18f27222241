// Memory that learns (issue 13) on simulated GPUs: what each run used is measured and kept;
// an out-of-memory death raises what the task asks for, so the next run goes where it fits;
// a task that fits nowhere fails instead of being requeued forever; the OOM record names who
// held the memory; a CPU-only task's "out of memory" is an ordinary failure.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/run_memory.hpp"
#include "integration/support/process.hpp"
#include "store/sqlite_store.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;

std::string sim_job(const std::string& args) {
  return std::string(FLOWLINE_EXE) + " sim-job " + args;
}

std::vector<StoredRun> runs_of(const std::string& state) {
  auto store = SqliteStore::open(state);
  EXPECT_TRUE(store.ok()) << store.error().message;
  if (!store.ok()) return {};
  auto runs = (*store)->all_runs();
  EXPECT_TRUE(runs.ok());
  return runs.ok() ? *runs : std::vector<StoredRun>{};
}

std::vector<StoredRun> in_state(const std::vector<StoredRun>& runs, RunState state) {
  std::vector<StoredRun> out;
  for (const StoredRun& r : runs)
    if (r.state == state) out.push_back(r);
  return out;
}

// Two runs of 9,000 MiB declared at 2,000 share a 16,000 MiB GPU: one grows into the 7,000
// left and dies. Its measured 7,000 plus the margin is more than is free while the other runs,
// so it waits for it instead of dying again, then succeeds.
TEST(MemoryThatLearns, AnOutOfMemoryDeathOnceThenARunWhereItFits) {
  TempDir dir;
  write_file(dir.file("todo.csv"), "name,min_mem\na,2000\nb,2000\n");
  Outcome o = run_flowline({"run", "todo.csv", "--batch", "--sim-gpus", "1x16000", "--max", "2",
                            "--oom-backoff", "0.1", "--state-dir", dir.file("state"), "--cmd",
                            sim_job("--mem 9000 --secs 3 --grow 2.5")},
                           dir.path());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::vector<StoredRun> runs = runs_of(dir.file("state"));
  std::vector<StoredRun> oom = in_state(runs, RunState::kOom);
  ASSERT_EQ(oom.size(), 1u) << o.err;
  ASSERT_TRUE(oom[0].peak_mem_mib.has_value()) << "the dying run was never measured";
  EXPECT_EQ(*oom[0].peak_mem_mib, 7000);
  std::vector<StoredRun> done = in_state(runs, RunState::kSucceeded);
  ASSERT_EQ(done.size(), 2u);
  for (const StoredRun& r : done) {
    EXPECT_EQ(r.peak_mem_mib, 9000) << "run " << r.run_id;
    EXPECT_FALSE(decode_series(r.mem_series).empty());
  }
  EXPECT_THAT(read_file(dir.file("todo.csv")), HasSubstr("b,2000,1"));
}

TEST(MemoryThatLearns, ATaskThatFitsNowhereFailsAndTheBatchEnds) {
  TempDir dir;
  write_file(dir.file("todo.csv"), "name,min_mem\nhuge,2000\n");
  Outcome o = run_flowline({"run", "todo.csv", "--batch", "--sim-gpus", "2x16000",
                            "--oom-backoff", "0.1", "--state-dir", dir.file("state"), "--cmd",
                            sim_job("--mem 20000 --secs 1 --grow 2.5")},
                           dir.path());
  EXPECT_EQ(o.exit_code, 1) << o.err;
  EXPECT_FALSE(o.timed_out);
  std::vector<StoredRun> runs = runs_of(dir.file("state"));
  ASSERT_EQ(runs.size(), 1u) << "requeued although it had the GPU to itself";
  EXPECT_EQ(runs[0].state, RunState::kOom);
  EXPECT_EQ(runs[0].peak_mem_mib, 16000);
  EXPECT_THAT(o.err + o.out, HasSubstr("out of memory even alone on GPU"));
  EXPECT_THAT(o.err + o.out, HasSubstr("(16,000 MiB): it needs more than any GPU here has"));
}

TEST(MemoryThatLearns, TheRecordOfAnOutOfMemoryDeathNamesWhoHeldTheMemory) {
  TempDir dir;
  std::string state = dir.file("state");
  ASSERT_EQ(run_flowline({"gpus", "--sim-gpus", "1x16000", "--state-dir", state}).exit_code, 0);
  // "Another user" holds 9,000 MiB until the run has died of it, then leaves.
  pid_t foreign = fork();
  if (foreign == 0) {
    execl("/bin/sleep", "sleep", "120", nullptr);
    _exit(127);
  }
  Outcome added = run_flowline(
      {"sim-ctl", "--state", state + "/sim", "foreign", "0", "9000", std::to_string(foreign)});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  write_file(dir.file("todo.csv"), "name,min_mem\ngrower,2000\n");
  int flowline = spawn_flowline({"run", "todo.csv", "--batch", "--sim-gpus", "1x16000",
                                 "--oom-backoff", "0.1", "--state-dir", state, "--cmd",
                                 sim_job("--mem 9000 --secs 0.5 --grow 2.5")},
                                dir.path(), "flowline.log");
  // The store is locked while FlowLine runs: its log says when the run died.
  const bool died = wait_until(
      [&] { return read_file(dir.file("flowline.log")).find(") oom: ") != std::string::npos; },
      std::chrono::seconds(60));
  kill(foreign, SIGKILL);
  waitpid(foreign, nullptr, 0);
  // The simulated driver keeps listing a foreign process until told it has gone.
  EXPECT_EQ(run_flowline({"sim-ctl", "--state", state + "/sim", "clear"}).exit_code, 0);
  ASSERT_TRUE(died) << read_file(dir.file("flowline.log"));
  ASSERT_EQ(wait_for(flowline), 0) << read_file(dir.file("flowline.log"));
  Outcome o{0, 0, "", read_file(dir.file("flowline.log")), false};
  std::vector<StoredRun> oom = in_state(runs_of(state), RunState::kOom);
  ASSERT_EQ(oom.size(), 1u) << o.err;
  const std::string holder = "sleep (pid " + std::to_string(foreign) + ") held 9,000 MiB on GPU 0";
  EXPECT_THAT(oom[0].message, HasSubstr(holder));
  std::vector<MemoryHolder> holders = decode_holders(oom[0].mem_holders);
  ASSERT_EQ(holders.size(), 1u);
  EXPECT_EQ(holders[0].pid, foreign);
  EXPECT_EQ(holders[0].mib, 9000);
  EXPECT_EQ(holders[0].name, "sleep");
  EXPECT_THAT(o.err, HasSubstr(holder));
}

TEST(MemoryThatLearns, OutOfMemoryTextFromACpuOnlyTaskIsAnOrdinaryFailure) {
  TempDir dir;
  write_file(dir.file("todo.csv"), "name,gpus\ncpu,0\n");
  Outcome o = run_flowline(
      {"run", "todo.csv", "--batch", "--sim-gpus", "1x16000", "--retries", "0", "--state-dir",
       dir.file("state"), "--cmd",
       "echo 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB' >&2; exit 1"},
      dir.path());
  EXPECT_EQ(o.exit_code, 1) << o.err;
  std::vector<StoredRun> runs = runs_of(dir.file("state"));
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].state, RunState::kFailed);
  EXPECT_THAT(runs[0].message, HasSubstr("the task uses no GPU"));
}

}  // namespace
}  // namespace flowline::testing

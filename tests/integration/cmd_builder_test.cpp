// `flowline run --cmd-builder PROGRAM` end to end: the real binary, a real builder script, real
// runs on simulated GPUs.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

// Records each request, then answers by the task's name: fails, prints nothing, hangs, or
// builds a command that notes where it ran.
constexpr const char* kBuilder = R"SH(#!/bin/sh
read -r request
printf '%s\n' "$request" >> requests.jsonl
name=$(printf '%s' "$request" | sed -n 's/^.*"name":"\([^"]*\)".*$/\1/p')
case "$name" in
  bad) echo "no recipe for $name" >&2; echo "see recipes/" >&2; exit 3 ;;
  empty) exit 0 ;;
  hang) echo "waiting for a lock" >&2; exec sleep 29.71 ;;
  flaky) if [ ! -e flaky.seen ]; then : > flaky.seen; echo "first try fails" >&2; exit 1; fi ;;
  slow) i=0; while [ ! -e release ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done ;;
esac
echo "echo built for $name on \$CUDA_VISIBLE_DEVICES > ran-$name.txt"
)SH";

std::vector<nlohmann::json> requests(const TempDir& dir) {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_file(dir.file("requests.jsonl")));
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

struct CmdBuilderTest : ::testing::Test {
  TempDir dir;
  void SetUp() override { write_file(dir.file("builder.sh"), kBuilder); }
  Outcome run(std::vector<std::string> extra) {
    std::vector<std::string> args = {"run", "todo.csv", "--batch", "--cmd-builder",
                                     "sh builder.sh"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_flowline(args, dir.path());
  }
};

TEST_F(CmdBuilderTest, BuilderReadsTheRowAndPlacementAndItsCommandRuns) {
  write_file(dir.file("todo.csv"),
             "name,lr,gpus,min_mem,need_run_num,cmd,seed\n"
             "two,0.1,2,100,1,python train.py,7\n");
  Outcome o = run({"--sim-gpus", "2x24000", "--order", "index desc"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::vector<nlohmann::json> sent = requests(dir);
  ASSERT_EQ(sent.size(), 1u);
  nlohmann::json expected = nlohmann::json::parse(R"({
    "task_id": 0, "name": "two", "run_num": 0, "need_run_num": 1, "cmd": "python train.py",
    "gpus": 2, "min_mem": 100, "priority": 0, "timeout": null,
    "params": {"lr": "0.1", "seed": "7"},
    "row": {"name": "two", "lr": "0.1", "gpus": "2", "min_mem": "100", "need_run_num": "1",
            "cmd": "python train.py", "seed": "7", "run_num": "0", "priority": "0",
            "timeout": ""},
    "gpu_ids": [1, 0], "gpu": 1, "run": 1})");
  EXPECT_EQ(sent[0], expected) << sent[0].dump();
  // Column order is kept in params and row (nlohmann::json above compares keys as a map).
  std::string line = read_file(dir.file("requests.jsonl"));
  EXPECT_LT(line.find("\"lr\":\"0.1\",\"seed\""), line.find("\"row\"")) << line;
  EXPECT_NE(line.find("\"row\":{\"name\":\"two\",\"lr\":\"0.1\",\"gpus\":\"2\""), std::string::npos)
      << line;
  // The builder's command ran, on the GPUs in the user's order (--order index desc).
  EXPECT_EQ(read_file(dir.file("ran-two.txt")), "built for two on 1,0\n");
  EXPECT_NE(read_file(dir.file("todo.csv")).find("two,0.1,2,100,1,python train.py,7,1"),
            std::string::npos)
      << read_file(dir.file("todo.csv"));
}

TEST_F(CmdBuilderTest, AFailingBuilderFailsThatLaunchOnlyAndSaysWhy) {
  write_file(dir.file("todo.csv"),
             "name,gpus,x\n"
             "good,0,1\n"
             "bad,0,2\n"
             "empty,0,3\n"
             "hang,0,4\n"
             "after,0,5\n");
  Outcome o = run({"--retries", "0", "--cmd-builder-timeout", "1", "--max", "1"});
  EXPECT_EQ(o.exit_code, 1) << o.err;
  // The others ran, before and after the failures.
  EXPECT_EQ(read_file(dir.file("ran-good.txt")), "built for good on\n");
  EXPECT_EQ(read_file(dir.file("ran-after.txt")), "built for after on\n");
  EXPECT_FALSE(file_exists(dir.file("ran-bad.txt")));
  // Each failure is said as it happens and again in the summary, with the builder's stderr.
  const std::string who = "the command builder 'sh builder.sh'";
  EXPECT_NE(o.err.find("task 1: cannot build its command: " + who +
                       " exited with status 3: no recipe for bad | see recipes/"),
            std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("task 1 (bad) failed: building the command failed: " + who +
                       " exited with status 3: no recipe for bad | see recipes/"),
            std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("task 2 (empty) failed: building the command failed: " + who +
                       " printed no command on stdout (no stderr)"),
            std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("task 3 (hang) failed: building the command failed: " + who +
                       " gave no answer within 1 s and was killed: waiting for a lock"),
            std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("5 tasks: 2 done, 3 failed"), std::string::npos) << o.err;
  EXPECT_TRUE(processes_with("sleep 29.71").empty()) << "the hung builder was left running";
  std::string table = read_file(dir.file("todo.csv"));
  EXPECT_NE(table.find("good,0,1,1"), std::string::npos) << table;
  EXPECT_NE(table.find("bad,0,2,0"), std::string::npos) << table;
}

// A builder that takes long (here: until the test says so) holds only its own launch: the
// next task starts and `flowline ctl task` is answered meanwhile (saying what the slow one
// waits for), and the slow build still counts.
TEST_F(CmdBuilderTest, ASlowBuilderBlocksNeitherCommandsNorOtherLaunches) {
  write_file(dir.file("todo.csv"),
             "name,gpus,x\n"
             "slow,0,1\n"
             "quick,0,2\n");
  const int pid = spawn_flowline({"run", "todo.csv", "--batch", "--cmd-builder", "sh builder.sh",
                                  "--cmd-builder-timeout", "60", "--max", "2"},
                                 dir.path(), "flowline.log");
  ASSERT_GT(pid, 0);
  // Whatever fails below, the builder is released and FlowLine stopped before the test ends.
  struct Cleanup {
    const TempDir& dir;
    int pid;
    bool waited = false;
    ~Cleanup() {
      if (waited) return;
      write_file(dir.file("release"), "");
      kill(pid, SIGTERM);
      wait_for(pid);
    }
  } cleanup{dir, pid};
  // `slow` comes first in table order; `quick` runs while its build waits for `release`.
  ASSERT_TRUE(wait_until([&] { return file_exists(dir.file("ran-quick.txt")); }))
      << read_file(dir.file("flowline.log"));
  // Asked again until the listing is published (snapshots trail events by up to 50 ms).
  std::string listing;
  EXPECT_TRUE(wait_until([&] {
    Outcome tasks = run_flowline({"ctl", "task"}, dir.path());
    listing = tasks.out + tasks.err;
    return tasks.exit_code == 0 &&
           tasks.out.find("building its command (--cmd-builder)") != std::string::npos;
  })) << listing;
  EXPECT_FALSE(file_exists(dir.file("ran-slow.txt")));  // still building: nothing lost or failed
  write_file(dir.file("release"), "");
  cleanup.waited = true;
  EXPECT_EQ(wait_for(pid), 0) << read_file(dir.file("flowline.log"));
  EXPECT_EQ(read_file(dir.file("ran-slow.txt")), "built for slow on\n");
  EXPECT_EQ(read_file(dir.file("flowline.log")).find("cannot build"), std::string::npos);
}

// Stopping FlowLine does not wait out a slow build: the builder is killed and FlowLine exits.
TEST_F(CmdBuilderTest, StoppingFlowLineCancelsABuildInFlight) {
  write_file(dir.file("todo.csv"), "name,gpus,x\nslow,0,1\n");
  // The directory as an (ignored) argument tells this test's builder from other tests'.
  const std::string builder = "sh builder.sh " + dir.path();
  const int pid = spawn_flowline({"run", "todo.csv", "--batch", "--cmd-builder", builder,
                                  "--cmd-builder-timeout", "60"},
                                 dir.path(), "flowline.log");
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(wait_until([&] { return file_exists(dir.file("requests.jsonl")); }));
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  int status = 0;
  // The builder would wait up to 60 s for `release`; FlowLine must be gone well before.
  const bool exited = wait_until([&] { return waitpid(pid, &status, WNOHANG) == pid; });
  if (!exited) {
    write_file(dir.file("release"), "");
    waitpid(pid, &status, 0);
  }
  ASSERT_TRUE(exited) << read_file(dir.file("flowline.log"));
  EXPECT_TRUE(WIFEXITED(status)) << status;
  EXPECT_FALSE(file_exists(dir.file("ran-slow.txt")));
  EXPECT_TRUE(processes_with(builder).empty());
}

TEST_F(CmdBuilderTest, AFailedBuildIsRetriedLikeAFailedRun) {
  write_file(dir.file("todo.csv"), "name,gpus\nflaky,0\n");
  Outcome o = run({"--retries", "1", "--retry-backoff", "0"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("exited with status 1: first try fails"), std::string::npos) << o.err;
  EXPECT_EQ(requests(dir).size(), 2u);
  EXPECT_EQ(read_file(dir.file("ran-flaky.txt")), "built for flaky on\n");
}

TEST_F(CmdBuilderTest, CmdAndCmdBuilderTogetherAreRefused) {
  write_file(dir.file("todo.csv"), "name,gpus\na,0\n");
  Outcome o = run({"--cmd", "echo {name}"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--cmd and --cmd-builder exclude each other"), std::string::npos) << o.err;
  EXPECT_FALSE(file_exists(dir.file("requests.jsonl")));
}

}  // namespace
}  // namespace flowline::testing

namespace flowline::testing {
namespace {

TEST_F(CmdBuilderTest, CheckShowsTheBuiltCommandsAndTheFailures) {
  write_file(dir.file("todo.csv"), "name,gpus\ngood,2\nbad,0\n");
  Outcome o = run_flowline({"check", "todo.csv", "--cmd-builder", "sh builder.sh"}, dir.path());
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_NE(o.out.find("command builder 'sh builder.sh'"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("$ echo built for good on $CUDA_VISIBLE_DEVICES > ran-good.txt"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("! cannot build the command: the command builder 'sh builder.sh' exited "
                       "with status 3: no recipe for bad"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.err.find("flowline check: task 1 (bad): "), std::string::npos) << o.err;
  // check shows GPUs 0..n-1 as the placement, and nothing runs.
  std::vector<nlohmann::json> sent = requests(dir);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0]["gpu_ids"], nlohmann::json::parse("[0, 1]"));
  EXPECT_FALSE(file_exists(dir.file("ran-good.txt")));
}

}  // namespace
}  // namespace flowline::testing

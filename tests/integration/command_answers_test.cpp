// The engine's answers to `drop`, `retry` and `order`, through the real binary and `flowline
// ctl`: each says what is true of the task (issue 11, step 1), and an unknown id is answered
// with the shell's hint, added by the command interpreter that ctl shares with the shell.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;

// By the task's name: `quick` succeeds, `bad` fails, any other waits for the file `gate`
// (at most a minute). Each notes that it started.
constexpr const char* kWork = R"SH(#!/bin/sh
: > "started-$1"
case "$1" in
  quick) exit 0 ;;
  bad) exit 1 ;;
esac
i=0
while [ ! -e gate ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done
)SH";

// One run at a time, in table order: quick (task 0) is done, bad (1) failed, hold (2) runs
// until the gate opens, later (3) is queued behind it.
class CommandAnswersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_.file("work.sh"), kWork);
    write_file(dir_.file("todo.csv"), "name,gpus\nquick,0\nbad,0\nhold,0\nlater,0\n");
    pid_ = spawn_flowline({"run", "todo.csv", "--batch", "--cmd", "sh work.sh {name}", "--max", "1",
                           "--retries", "0", "--sim-gpus", "1x24000"},
                          dir_.path(), "flowline.log");
    ASSERT_GT(pid_, 0);
    ASSERT_TRUE(wait_until([&] { return file_exists(dir_.file("started-hold")); }))
        << read_file(dir_.file("flowline.log"));
  }
  void TearDown() override {
    write_file(dir_.file("gate"), "");
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      wait_for(pid_);
    }
  }
  Outcome ctl(std::vector<std::string> argv) {
    argv.insert(argv.begin(), "ctl");
    return run_flowline(argv, dir_.path());
  }

  TempDir dir_;
  int pid_ = -1;
};

TEST_F(CommandAnswersTest, DropSaysRunningRunsContinueOnlyWhenThereAreSome) {
  Outcome idle = ctl({"drop", "3"});
  EXPECT_EQ(idle.exit_code, 0) << idle.err;
  EXPECT_EQ(idle.out, "task 3 dropped\n");
  Outcome running = ctl({"drop", "2"});
  EXPECT_EQ(running.exit_code, 0) << running.err;
  EXPECT_EQ(running.out, "task 2 dropped; its 1 running run continues\n");
  EXPECT_FALSE(file_exists(dir_.file("started-later")));
}

TEST_F(CommandAnswersTest, RetryRefusesADoneQueuedOrRunningTaskAndTakesBackAFailedOne) {
  Outcome done = ctl({"retry", "0"});
  EXPECT_EQ(done.exit_code, 1);
  EXPECT_EQ(done.out, "");
  EXPECT_EQ(done.err,
            "task 0 (quick) is done (run_num 1 of need_run_num 1); to run it again, raise its "
            "need_run_num in the table\n");
  Outcome running = ctl({"retry", "2"});
  EXPECT_EQ(running.exit_code, 1);
  EXPECT_EQ(running.err, "task 2 (hold) is running, not failed or dropped: nothing to retry\n");
  Outcome queued = ctl({"retry", "3"});
  EXPECT_EQ(queued.exit_code, 1);
  EXPECT_EQ(queued.err, "task 3 (later) is queued, not failed or dropped: nothing to retry\n");
  Outcome failed = ctl({"retry", "1"});
  EXPECT_EQ(failed.exit_code, 0) << failed.err;
  EXPECT_EQ(failed.out, "task 1 (bad) queued again\n");
  // A dropped task that still runs is taken back as running, not "queued".
  ASSERT_EQ(ctl({"drop", "2"}).exit_code, 0);
  Outcome back = ctl({"retry", "2"});
  EXPECT_EQ(back.exit_code, 0) << back.err;
  EXPECT_EQ(back.out, "task 2 (hold) taken back; it is running\n");
  Outcome task = ctl({"task"});
  EXPECT_THAT(task.out, HasSubstr("done"));  // quick stayed done
}

TEST_F(CommandAnswersTest, OrderDefaultRestoresTheDefaultOrder) {
  ASSERT_EQ(ctl({"order", "index", "desc"}).exit_code, 0);
  Outcome set = ctl({"order", "default"});
  EXPECT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(set.out, "GPU order: default, free_memory desc, utilization asc, index asc\n");
  Outcome now = ctl({"status"});
  EXPECT_THAT(now.out, HasSubstr("order:     default\n"));
}

// The engine's words are neutral; the interpreter ctl shares with the shell adds the hint.
TEST_F(CommandAnswersTest, UnknownIdsAreAnsweredWithTheShellsHint) {
  EXPECT_EQ(ctl({"drop", "99"}).err, "no task 99 (see `task`)\n");
  EXPECT_EQ(ctl({"retry", "99"}).err, "no task 99 (see `task`)\n");
  EXPECT_EQ(ctl({"copy", "99"}).err, "no task 99 (see `task`)\n");
  EXPECT_EQ(ctl({"kill", "99"}).err, "no running run 99 (see `ls`)\n");
  EXPECT_EQ(ctl({"gpu", "7"}).err, "no GPU 7 (see `gpus`)\n");
}

}  // namespace
}  // namespace flowline::testing

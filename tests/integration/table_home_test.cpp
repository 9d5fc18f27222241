// One table, one FlowLine (DESIGN.md §2 "Task table"), with the real binary: each table has
// its own default state dir, a second FlowLine on a table is refused whatever its state dir,
// and `flowline ctl` finds the instance of this directory's table by itself.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class OneFlowLinePerTable : public ::testing::Test {
 protected:
  void SetUp() override { root_ = std::filesystem::canonical(dir_.path()).string(); }
  void TearDown() override {
    for (int pid : pids_) {  // a test that failed half-way leaves its FlowLines running
      kill(pid, SIGTERM);
      wait_for(pid);
    }
  }
  // A table whose one task runs for a while, so that its FlowLine is there to be met.
  void write_slow_table(const std::string& name, const std::string& task) {
    write_file(dir_.file(name), "name,gpus,cmd\n" + task + ",0,sleep 30\n");
  }
  // Starts `flowline run TABLE --batch`; true once its ctl socket is in `state_dir`.
  bool start(const std::string& table, const std::string& state_dir,
             std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"run", table, "--batch", "--cmd", "{cmd}"};
    args.insert(args.end(), extra.begin(), extra.end());
    pids_.push_back(spawn_flowline(args, dir_.path(), table + ".log"));
    return wait_until([&] { return file_exists(dir_.file(state_dir + "/ctl.sock")); });
  }
  // Whether `pid` ends (and is waited for) within the usual bound.
  static bool reaped(int pid) {
    int status = 0;
    return wait_until([&] { return waitpid(pid, &status, WNOHANG) == pid; });
  }
  Outcome flowline(std::vector<std::string> args) { return run_flowline(args, dir_.path()); }
  // Stops the instance running `table` through ctl, as the refusal message advises.
  void stop(const std::string& table) {
    Outcome o = flowline({"ctl", "--table", table, "stop"});
    EXPECT_EQ(o.exit_code, 0) << o.err;
  }

  TempDir dir_;
  std::string root_;  // dir_ as realpath gives it
  std::vector<int> pids_;
};

TEST_F(OneFlowLinePerTable, ASecondFlowLineOnTheSameTableIsRefusedFromAnyStateDir) {
  write_slow_table("todo.csv", "slow");
  std::filesystem::create_symlink("todo.csv", dir_.file("alias.csv"));
  ASSERT_TRUE(start("todo.csv", "mine", {"--state-dir", "mine"}));
  const std::string held = "table " + root_ + "/todo.csv is already being run by FlowLine pid " +
                           std::to_string(pids_[0]) + " (state directory " + root_ +
                           "/mine); stop it (flowline ctl --table " + root_ +
                           "/todo.csv stop) or wait for it to end";
  Outcome by_default = flowline({"run", "todo.csv", "--batch"});
  EXPECT_EQ(by_default.exit_code, 2);
  EXPECT_THAT(by_default.err, HasSubstr(held));
  Outcome by_alias = flowline({"run", "alias.csv", "--batch", "--state-dir", "other"});
  EXPECT_EQ(by_alias.exit_code, 2);
  EXPECT_THAT(by_alias.err, HasSubstr(held));
  // The way out the message gives works, though the state dir is not a default one.
  stop("todo.csv");
  ASSERT_TRUE(reaped(pids_[0]));
  pids_.clear();
  Outcome after = flowline({"run", "todo.csv", "--batch", "--cmd", "true"});
  EXPECT_EQ(after.exit_code, 0) << after.err;
}

TEST_F(OneFlowLinePerTable, CtlWithoutOptionsFindsTheOneInstanceHere) {
  write_slow_table("todo.csv", "slow");
  ASSERT_TRUE(start("todo.csv", ".flowline/todo.csv"));
  EXPECT_TRUE(std::filesystem::is_directory(dir_.file("log/todo.csv")));
  Outcome o = flowline({"ctl", "task"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("slow"));
  stop("todo.csv");
}

TEST_F(OneFlowLinePerTable, TwoTablesRunSideBySideAndCtlAsksWhichOne) {
  write_slow_table("a.csv", "apple_task");
  write_slow_table("b.csv", "banana_task");
  ASSERT_TRUE(start("a.csv", ".flowline/a.csv"));
  ASSERT_TRUE(start("b.csv", ".flowline/b.csv"));
  Outcome which = flowline({"ctl", "ls"});
  EXPECT_EQ(which.exit_code, 1);
  EXPECT_THAT(which.err, HasSubstr("pick one with --table"));
  EXPECT_THAT(which.err, HasSubstr("--table a.csv   (state directory .flowline/a.csv)"));
  EXPECT_THAT(which.err, HasSubstr("--table b.csv   (state directory .flowline/b.csv)"));
  EXPECT_EQ(which.out, "");
  Outcome b = flowline({"ctl", "--table", "b.csv", "task"});
  EXPECT_EQ(b.exit_code, 0) << b.err;
  EXPECT_THAT(b.out, HasSubstr("banana_task"));
  EXPECT_THAT(b.out, Not(HasSubstr("apple_task")));
  stop("a.csv");
  stop("b.csv");
}

}  // namespace
}  // namespace flowline::testing

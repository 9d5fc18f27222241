// Habits from the Python FlowLine, through the real binary: its tables' `cmd` = "No command"
// and parameters without a program.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A table with parameters but no program: `{cmd} {args}` gives `--lr 0.1`, which /bin/sh
// took for its own options ("sh: 0: Illegal option --") in every run.
TEST(FromOriginal, CheckWarnsAndRunRefusesWhenCommandsHaveNoProgram) {
  TempDir dir;
  write_file(dir.file("todo.csv"), "name,lr,cmd\na,0.1,No command\nb,0.2,\n");
  Outcome check = run_flowline({"check", "todo.csv"}, dir.path());
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_THAT(check.out, HasSubstr("$ --lr 0.1\n    ! no program: the command starts with "
                                   "'--lr', an option, not a program\n"));
  EXPECT_THAT(check.err, HasSubstr("flowline check: note: 1 row has cmd = 'No command'"));
  EXPECT_THAT(check.err, HasSubstr("flowline check: warning: 2 of 2 tasks have no program in "
                                   "their command: task 0 (a) would run `--lr 0.1`"));
  EXPECT_THAT(check.err, HasSubstr("--cmd 'python train.py {args}'"));

  Outcome run = run_flowline({"run", "todo.csv", "--batch"}, dir.path());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("flowline run: todo.csv: 2 of 2 tasks have no program"));
  EXPECT_THAT(run.err, HasSubstr("give the rows a cmd (e.g. python train.py) or put the program "
                                 "in the template: --cmd 'python train.py {args}'"));
  EXPECT_FALSE(std::filesystem::exists(dir.file("log/todo.csv/1-a.err")));

  // The way out works.
  Outcome fixed = run_flowline(
      {"run", "todo.csv", "--batch", "--sim-gpus", "1x24000", "--cmd", "echo {args}"}, dir.path());
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_THAT(fixed.err, HasSubstr("1 row has cmd = 'No command'"));
  EXPECT_THAT(fixed.err, Not(HasSubstr("Illegal option")));
}

// A builder's command is known only at launch: one with no program fails there, saying why.
TEST(FromOriginal, ABuiltCommandWithoutProgramFailsItsLaunchWithTheReason) {
  TempDir dir;
  write_file(dir.file("todo.csv"), "name,lr,gpus\na,0.1,0\n");
  write_file(dir.file("build.sh"), "cat >/dev/null; echo '--lr 0.1'\n");
  Outcome run = run_flowline(
      {"run", "todo.csv", "--batch", "--retries", "0", "--cmd-builder", "sh build.sh"},
      dir.path());
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.err, HasSubstr("the command starts with '--lr', an option, not a program"));
  EXPECT_THAT(run.err, Not(HasSubstr("Illegal option")));
}

}  // namespace
}  // namespace flowline::testing

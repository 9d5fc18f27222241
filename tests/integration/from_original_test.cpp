// Habits from the Python FlowLine, through the real binary: its tables' `cmd` = "No command",
// parameters without a program, and its own example table run with the README's recipe
// ("Coming from the Python FlowLine").
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
      {"run", "todo.csv", "--batch", "--retries", "0", "--cmd-builder", "sh build.sh"}, dir.path());
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.err, HasSubstr("the command starts with '--lr', an option, not a program"));
  EXPECT_THAT(run.err, Not(HasSubstr("Illegal option")));
}

// The original's own example table, as its tools wrote it (900 rows, cmd = "No command", six
// already run), checked and run on simulated GPUs with the README's recipe. A stand-in for
// `python -u train.py` checks its arguments and holds simulated GPU memory.
TEST(FromOriginal, ItsOwnTodoXlsxRunsWithTheReadmeRecipe) {
  TempDir dir;
  std::filesystem::copy_file(
      std::string(FLOWLINE_SOURCE_DIR) + "/tests/fixtures/original/todo.xlsx",
      dir.file("todo.xlsx"));
  write_file(
      dir.file("train.sh"),
      "case \"$*\" in\n"
      "  '--data_name '*' --model_name '*' --method_name '*' --domain_num '*' --seed '*) ;;\n"
      "  *) echo \"unexpected arguments: $*\" >&2; exit 9 ;;\n"
      "esac\n"
      "exec '" +
          flowline_exe() + "' sim-job --mem 500 --secs 0\n");
  const std::string recipe = "sh train.sh {args}";  // README: 'python -u train.py {args}'

  Outcome check = run_flowline({"check", "todo.xlsx", "--cmd", recipe}, dir.path());
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_THAT(check.out, HasSubstr("todo.xlsx: 900 tasks, valid"));
  EXPECT_THAT(check.out, HasSubstr("$ sh train.sh --data_name rotate_mnist --model_name cnn "
                                   "--method_name GST --domain_num 2 --seed 1\n"));
  EXPECT_THAT(check.err, HasSubstr("note: 900 rows have cmd = 'No command'"));
  EXPECT_THAT(check.err, Not(HasSubstr("warning")));
  // Without the recipe: what the original did (a command with no program) is refused.
  Outcome bare = run_flowline({"run", "todo.xlsx", "--batch"}, dir.path());
  EXPECT_EQ(bare.exit_code, 2);
  EXPECT_THAT(bare.err, HasSubstr("894 of 900 tasks have no program"));

  Outcome run = run_flowline({"run", "todo.xlsx", "--batch", "--cmd", recipe, "--sim-gpus",
                              "4x24000", "--min-mem", "1000", "--max", "32"},
                             dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err.substr(run.err.size() > 3000 ? run.err.size() - 3000 : 0);
  EXPECT_THAT(run.err, HasSubstr("900 tasks: 900 done, 0 failed"));
  // Every row has run_num 1 in the file itself.
  Outcome after = run_flowline({"check", "todo.xlsx", "--cmd", recipe, "--json"}, dir.path());
  ASSERT_EQ(after.exit_code, 0) << after.err;
  size_t done = 0;
  for (size_t at = after.out.find("\"run_num\":1,"); at != std::string::npos;
       at = after.out.find("\"run_num\":1,", at + 1))
    ++done;
  EXPECT_EQ(done, 900u);
  EXPECT_EQ(after.out.find("\"run_num\":0,"), std::string::npos);
}

}  // namespace
}  // namespace flowline::testing

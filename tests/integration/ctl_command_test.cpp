// The real `flowline ctl` binary where no instance is running (a running instance is tested
// in tests/unit/front/ctl_test.cpp against an in-process server until `flowline run` exists).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;

TEST(CtlCommand, NoInstanceRunningIsExitThree) {
  TempDir dir;
  Outcome o = run_flowline({"ctl", "--state-dir", dir.path(), "ls"});
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.err, "no FlowLine is running with state dir " + dir.path() + " (no socket at " +
                       dir.path() + "/ctl.sock)\n");
  EXPECT_EQ(o.out, "");
}

// Without --table or --state-dir, ctl looks for the instances of this directory's tables.
TEST(CtlCommand, WithoutOptionsItLooksInDotFlowlineHereAndSaysSo) {
  TempDir dir;
  Outcome o = run_flowline({"ctl", "status"}, dir.path());
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_THAT(o.err, HasSubstr("no FlowLine is running in "));
  EXPECT_THAT(o.err, HasSubstr("(no ctl.sock answers in .flowline/*/ or .flowline)"));
  EXPECT_THAT(o.err, HasSubstr("--table TABLE"));
}

TEST(CtlCommand, TableNamesItsInstanceOrIsMissing) {
  TempDir dir;
  write_file(dir.file("todo.csv"), "name\na\n");
  Outcome idle = run_flowline({"ctl", "--table", "todo.csv", "ls"}, dir.path());
  EXPECT_EQ(idle.exit_code, 3);
  EXPECT_THAT(idle.err, HasSubstr("no FlowLine is running table "));
  Outcome missing = run_flowline({"ctl", "--table", "nope.csv", "ls"}, dir.path());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "cannot find the table nope.csv: No such file or directory\n");
  Outcome both = run_flowline({"ctl", "--table", "todo.csv", "--state-dir", "s", "ls"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_THAT(both.err, HasSubstr("give --table or --state-dir, not both"));
}

TEST(CtlCommand, MissingCommandOrOptionValueIsExitTwo) {
  Outcome no_command = run_flowline({"ctl"});
  EXPECT_EQ(no_command.exit_code, 2);
  EXPECT_THAT(no_command.err, HasSubstr("usage: flowline ctl"));
  Outcome no_dir = run_flowline({"ctl", "--state-dir"});
  EXPECT_EQ(no_dir.exit_code, 2);
  EXPECT_THAT(no_dir.err, HasSubstr("--state-dir needs a directory"));
}

TEST(CtlCommand, HelpDocumentsTheExitStatuses) {
  Outcome o = run_flowline({"ctl", "--help"});
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_THAT(o.out, HasSubstr("3 no instance is running"));
}

}  // namespace
}  // namespace flowline::testing

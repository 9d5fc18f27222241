// Defaults that stay (issue 16 item 2): option values from the user's file and the project's
// flowline.conf, the command line over both, errors that name FILE:LINE and change nothing.
#include <gtest/gtest.h>

#include <sstream>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

class OptionDefaults : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir.file("xdg/flowline"));
    write_table();
    setenv("XDG_CONFIG_HOME", dir.file("xdg").c_str(), 1);
  }
  void TearDown() override { unsetenv("XDG_CONFIG_HOME"); }

  // Three runs that each say they started, then wait at the gate (run_num blank again).
  void write_table() {
    write_file(dir.file("t.csv"),
               "name,gpus,cmd\n"
               "a,0,echo a >> started; while [ ! -e gate ]; do sleep 0.02; done\n"
               "b,0,echo b >> started; while [ ! -e gate ]; do sleep 0.02; done\n"
               "c,0,echo c >> started; while [ ! -e gate ]; do sleep 0.02; done\n");
  }

  // Starts a batch, waits for `expect` runs to start, checks no more do, opens the gate.
  void expect_at_once(const std::vector<std::string>& extra, int expect) {
    std::vector<std::string> args = {"run", "t.csv", "--batch", "--cmd", "{cmd}"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::filesystem::remove(dir.file("started"));
    std::filesystem::remove(dir.file("gate"));
    std::filesystem::remove_all(dir.file(".flowline"));
    write_table();
    int pid = spawn_flowline(args, dir.path(), "flowline.log");
    ASSERT_TRUE(wait_until([&] { return count_lines(dir.file("started")) >= expect; }))
        << read_file(dir.file("flowline.log"));
    EXPECT_FALSE(wait_until([&] { return count_lines(dir.file("started")) > expect; },
                            std::chrono::milliseconds(600)))
        << "more than " << expect << " runs at once";
    write_file(dir.file("gate"), "");
    EXPECT_EQ(wait_for(pid), 0) << read_file(dir.file("flowline.log"));
    EXPECT_EQ(count_lines(dir.file("started")), 3);
  }

  TempDir dir;
};

TEST_F(OptionDefaults, TheProjectFileWinsOverTheUsersAndTheCommandLineOverBoth) {
  write_file(dir.file("xdg/flowline/config"), "# mine\nmax = 3\n");
  expect_at_once({}, 3);
  write_file(dir.file("flowline.conf"), "max = 1   # one at a time in this project\n");
  expect_at_once({}, 1);
  expect_at_once({"--max", "2"}, 2);
}

TEST_F(OptionDefaults, ABadLineIsNamedAndNothingStarts) {
  write_file(dir.file("flowline.conf"), "max = 2\nmaxx = 3\n");
  Outcome out = run_flowline({"run", "t.csv", "--batch", "--cmd", "{cmd}"}, dir.path());
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.err.find(dir.file("flowline.conf") + ":2: unknown option '--maxx'"),
            std::string::npos)
      << out.err;
  write_file(dir.file("flowline.conf"), "max = x\n");
  out = run_flowline({"run", "t.csv", "--batch"}, dir.path());
  EXPECT_NE(out.err.find("flowline.conf:1: --max: expected a whole number"), std::string::npos)
      << out.err;
  write_file(dir.file("flowline.conf"), "just words\n");
  out = run_flowline({"config", "t.csv"}, dir.path());
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.err.find("flowline.conf:1: expected 'option = value'"), std::string::npos)
      << out.err;
  EXPECT_FALSE(file_exists(dir.file("started")));
  EXPECT_FALSE(file_exists(dir.file(".flowline")));
}

TEST_F(OptionDefaults, ConfigShowsEachSettingAndWhereItCameFrom) {
  write_file(dir.file("xdg/flowline/config"), "max = 3\npack = true\nbatch = false\n");
  write_file(dir.file("flowline.conf"), "max = 1\norder = free_memory desc\n");
  Outcome out = run_flowline({"config", "t.csv"}, dir.path());
  ASSERT_EQ(out.exit_code, 0) << out.err;
  const std::string mine = dir.file("xdg/flowline/config");
  const std::string project = dir.file("flowline.conf");
  EXPECT_NE(out.out.find(mine + ": 2 settings"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find(project + ": 2 settings"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find(mine + ":1 (replaced by " + project + ":1)"), std::string::npos)
      << out.out;
  EXPECT_NE(out.out.find("order = free_memory desc"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("pack = true"), std::string::npos) << out.out;
  EXPECT_EQ(out.out.find("batch"), std::string::npos) << "false leaves a flag off: " << out.out;
}

}  // namespace
}  // namespace flowline::testing

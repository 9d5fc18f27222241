// Issue 14: processes a run or a builder leaves behind are killed, and a run's record says so.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A daemon a run left behind used to be killed without a word in the run's record.
TEST(Leftovers, ARunsLeftoverProcessesAreKilledAndItsRecordSaysSo) {
  TempDir dir;
  write_file(dir.file("todo.csv"), "name,gpus,cmd\ndaemon,0,sleep 600 & echo started\n");
  Outcome o = run_flowline({"run", "todo.csv", "--batch", "--cmd", "{cmd}"}, dir.path());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.err, HasSubstr("succeeded: 1 process it left running after it ended was killed"));
  std::string err_log;
  for (const auto& e : fs::directory_iterator(dir.file("log/todo.csv")))
    if (e.path().extension() == ".err") err_log = read_file(e.path());
  EXPECT_EQ(err_log,
            "flowline-supervise: the command ended but left 1 process running; stopping it "
            "(SIGTERM, then SIGKILL)\n");
}

// A builder that hangs past --cmd-builder-timeout is killed with its process group; a child it
// moved into a session of its own (setsid) used to survive that.
TEST(Leftovers, ABuildersSetsidGrandchildDiesWithItsTimeout) {
  TempDir dir;
  write_file(dir.file("todo.csv"), "name,gpus\nb,0\n");
  write_file(dir.file("builder.sh"),
             "setsid sh -c 'echo $$ > grandchild.tmp; mv grandchild.tmp grandchild.pid; "
             "exec sleep 600' &\nexec sleep 600\n");
  Outcome o = run_flowline({"run", "todo.csv", "--batch", "--retries", "0", "--cmd-builder",
                            "sh builder.sh", "--cmd-builder-timeout", "1"},
                           dir.path());
  EXPECT_EQ(o.exit_code, 1) << o.err;
  ASSERT_TRUE(file_exists(dir.file("grandchild.pid"))) << o.err;
  const std::string pid = read_file(dir.file("grandchild.pid")).substr(0, 10);
  const std::string proc = "/proc/" + std::to_string(std::stoi(pid));
  const bool gone = wait_until([&] {
    return !file_exists(proc) || read_file(proc + "/stat").find(") Z ") != std::string::npos;
  }, std::chrono::milliseconds(10000));
  if (!gone) ::kill(std::stoi(pid), SIGKILL);  // no stray sleep left by a failing test
  EXPECT_TRUE(gone) << "the builder's grandchild " << pid << " outlived its timeout";
}

}  // namespace
}  // namespace flowline::testing

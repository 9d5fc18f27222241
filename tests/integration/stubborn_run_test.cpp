// A run that ignores SIGTERM (issue 14 item 4): `kill` of it still ends it, with SIGKILL once
// the grace period (5 s) is over, records it as killed, and leaves nothing of it running.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <vector>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

// Run 1 ignores SIGTERM, and so does the child it waits for (an ignored signal stays ignored
// across fork and exec); it notes both pids. Any later run of the task succeeds at once.
constexpr const char* kStubborn = R"SH(#!/bin/sh
if [ "$FLOWLINE_RUN_ID" = 1 ]; then
  trap '' TERM
  sleep 300 &
  echo "$$ $!" > stubborn.pids.tmp && mv stubborn.pids.tmp stubborn.pids
  wait
fi
exit 0
)SH";

bool alive(int pid) { return kill(pid, 0) == 0; }

// Pids of the processes working in `dir` (the runs of a test's table all do).
std::vector<int> working_in(const std::string& dir) {
  std::vector<int> pids;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (std::filesystem::read_symlink(e.path() / "cwd", ec) == dir) pids.push_back(std::stoi(name));
  }
  return pids;
}

TEST(StubbornRun, KillEndsARunIgnoringSigtermWithSigkillAfterTheGracePeriod) {
  TempDir dir;
  write_file(dir.file("work.sh"), kStubborn);
  write_file(dir.file("todo.csv"), "name,gpus\nstubborn,0\n");
  const int flowline =
      spawn_flowline({"run", "todo.csv", "--batch", "--cmd", "sh work.sh", "--state-dir", "state"},
                     dir.path(), "flowline.log");
  ASSERT_GT(flowline, 0);
  ASSERT_TRUE(wait_until([&] { return file_exists(dir.file("stubborn.pids")); }))
      << read_file(dir.file("flowline.log"));
  int shell = 0, child = 0;
  std::istringstream(read_file(dir.file("stubborn.pids"))) >> shell >> child;
  ASSERT_GT(shell, 0);
  ASSERT_GT(child, 0);

  const auto asked = std::chrono::steady_clock::now();
  Outcome killed = run_flowline({"ctl", "--state-dir", "state", "kill", "1"}, dir.path());
  ASSERT_EQ(killed.exit_code, 0) << killed.err;
  EXPECT_EQ(killed.out, "stopping run 1; its task goes back to the queue\n");
  // SIGTERM went unheeded: both still run well into the grace period.
  EXPECT_FALSE(
      wait_until([&] { return !alive(shell) || !alive(child); }, std::chrono::milliseconds(2500)))
      << "a process of the run ended on SIGTERM, which it ignores";
  ASSERT_TRUE(wait_until([&] { return !alive(shell) && !alive(child); }))
      << "the run outlived its grace period: no SIGKILL";
  const auto took = std::chrono::steady_clock::now() - asked;
  EXPECT_GE(took, std::chrono::milliseconds(4500)) << "killed before the grace period was over";

  // Its task went back to the queue and ran again (run 2 succeeds); the batch then ends.
  ASSERT_EQ(wait_for(flowline), 0) << read_file(dir.file("flowline.log"));
  const std::string log = read_file(dir.file("flowline.log"));
  EXPECT_NE(log.find("run 1 of task 0 (stubborn) killed: stopped by the user"), std::string::npos)
      << log;
  EXPECT_NE(log.find("run 2 of task 0 (stubborn) succeeded"), std::string::npos) << log;
  EXPECT_EQ(working_in(dir.path()), std::vector<int>{});
}

}  // namespace
}  // namespace flowline::testing

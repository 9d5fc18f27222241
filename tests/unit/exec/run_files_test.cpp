#include "exec/local/run_files.hpp"

#include <gtest/gtest.h>

#include "exec/local/supervisor/supervisor.hpp"
#include "exec/run_environment.hpp"
#include "exec_test_util.hpp"

namespace flowline {
namespace {

TEST(RunFiles, ExitRecordRoundTrips) {
  RunExit exit;
  exit.signal = 15;
  exit.timed_out = true;
  exit.started_ms = 1000;
  exit.ended_ms = 2500;
  auto parsed = run_files::parse_exit(run_files::format_exit(exit));
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->exit_code);
  EXPECT_EQ(parsed->signal, 15);
  EXPECT_TRUE(parsed->timed_out);
  EXPECT_FALSE(parsed->stopped);
  EXPECT_EQ(parsed->started_ms, 1000);
  EXPECT_EQ(parsed->ended_ms, 2500);
}

TEST(RunFiles, RejectsTornOrForeignExitRecords) {
  RunExit exit;
  exit.exit_code = 0;
  exit.ended_ms = 5;
  const std::string good(run_files::format_exit(exit).view());
  EXPECT_FALSE(run_files::parse_exit(good.substr(0, good.size() / 2)));
  EXPECT_FALSE(run_files::parse_exit("exit_code 0\nended_ms 5\n"));
  EXPECT_FALSE(run_files::parse_exit("flowline-exit 1\nexit_code x\nended_ms 5\n"));
  EXPECT_FALSE(run_files::parse_exit(""));
}

TEST(RunFiles, PidFileRoundTripsAndRejectsGarbage) {
  auto parsed = run_files::parse_pid(run_files::format_pid({1234, 987654321}));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->pid, 1234);
  EXPECT_EQ(parsed->start_ticks, 987654321u);
  EXPECT_FALSE(run_files::parse_pid("pid 12\n"));
  EXPECT_FALSE(run_files::parse_pid("pid -3\nstart_ticks 4\n"));
}

TEST(RunFiles, AtomicWriteReplacesWholeFile) {
  exec_test::TempDir dir;
  for (bool durable : {false, true}) {
    ASSERT_EQ(run_files::write_atomically(dir.path(), "exit", "first version\n", durable), 0);
    ASSERT_EQ(run_files::write_atomically(dir.path(), "exit", "2nd\n", durable), 0);
    EXPECT_EQ(exec_test::read_text(dir / "exit"), "2nd\n");
    EXPECT_FALSE(std::filesystem::exists(dir / "exit.tmp"));
  }
  EXPECT_NE(run_files::write_atomically(dir / "missing", "exit", "x", false), 0);
}

TEST(RunEnvironment, SetsDesignVariablesAndLetsSpecOverride) {
  LaunchSpec spec;
  spec.run_id = 12;
  spec.task_id = 3;
  spec.gpus = {1, 3};
  spec.env = {{"CUDA_DEVICE_ORDER", "FASTEST_FIRST"}, {"X", "y"}};
  auto env = run_environment(spec);
  EXPECT_EQ(env["CUDA_VISIBLE_DEVICES"], "1,3");
  EXPECT_EQ(env["FLOWLINE_GPUS"], "1,3");
  EXPECT_EQ(env["FLOWLINE_TASK_ID"], "3");
  EXPECT_EQ(env["FLOWLINE_RUN_ID"], "12");
  EXPECT_EQ(env["CUDA_DEVICE_ORDER"], "FASTEST_FIRST");
  EXPECT_EQ(env["X"], "y");
}

}  // namespace
}  // namespace flowline

namespace flowline {
namespace {

std::optional<supervisor::Options> parse(std::vector<std::string> args, std::string& error) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return supervisor::parse_args(static_cast<int>(argv.size()), argv.data(), error);
}

TEST(SupervisorArgs, ParsesWhatTheExecutorPasses) {
  std::string error;
  auto o = parse({"flowline-supervise", "--run-dir", "/r/1", "--grace-ms", "50", "--timeout-ms",
                  "300", "--durable", "--", "echo a -- b"},
                 error);
  ASSERT_TRUE(o) << error;
  EXPECT_EQ(o->run_dir, "/r/1");
  EXPECT_EQ(o->grace_ms, 50);
  EXPECT_EQ(o->timeout_ms, 300);
  EXPECT_TRUE(o->durable);
  EXPECT_EQ(o->command, "echo a -- b");
}

TEST(SupervisorArgs, RejectsMalformedInvocations) {
  std::string error;
  EXPECT_FALSE(parse({"s", "--", "true"}, error));  // no run dir
  EXPECT_NE(error.find("--run-dir"), std::string::npos);
  EXPECT_FALSE(parse({"s", "--run-dir", "/r", "--timeout-ms", "-5", "--", "true"}, error));
  EXPECT_FALSE(parse({"s", "--run-dir", "/r", "--", "a", "b"}, error));
  EXPECT_FALSE(parse({"s", "--run-dir", "/r"}, error));
  EXPECT_FALSE(parse({"s", "--bogus", "--run-dir", "/r", "--", "true"}, error));
}

}  // namespace
}  // namespace flowline

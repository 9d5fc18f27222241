// run_bounded with real /bin/sh processes: input in, output out, exit status, and the limits
// (time, output size) that keep a misbehaving helper from hanging or flooding FlowLine.
#include "exec/bounded_command.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <climits>
#include <string>
#include <thread>

#include "exec_test_util.hpp"

namespace flowline {
namespace {

using exec_test::read_text;
using exec_test::steady_ms;
using exec_test::TempDir;

BoundedOutcome run(const std::string& command, const std::string& input = "",
                   int64_t timeout_ms = 10000) {
  BoundedCommand c;
  c.shell_command = command;
  c.input = input;
  c.timeout_ms = timeout_ms;
  Result<BoundedOutcome> o = run_bounded(c);
  if (!o) ADD_FAILURE() << o.error().message;
  return o ? *o : BoundedOutcome{};
}

bool alive(pid_t pid) { return kill(pid, 0) == 0 || errno != ESRCH; }

TEST(BoundedCommand, InputReachesStdinAndStdoutComesBack) {
  BoundedOutcome o = run("tr a-z A-Z", "hello builder\n");
  EXPECT_TRUE(o.succeeded());
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.out, "HELLO BUILDER\n");
  EXPECT_EQ(o.err, "");
}

TEST(BoundedCommand, LargeInputAndOutputDoNotDeadlock) {
  std::string input(3 << 20, 'x');  // larger than any pipe buffer, both ways
  BoundedCommand c;
  c.shell_command = "cat";
  c.input = input;
  c.max_output = 4 << 20;
  Result<BoundedOutcome> o = run_bounded(c);
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_TRUE(o->succeeded());
  EXPECT_EQ(o->out.size(), input.size());
}

TEST(BoundedCommand, ExitStatusAndStderrAreReported) {
  BoundedOutcome o = run("echo partial; echo 'no recipe for x' >&2; exit 3");
  EXPECT_FALSE(o.succeeded());
  EXPECT_EQ(o.exit_code, 3);
  EXPECT_EQ(o.signal, 0);
  EXPECT_EQ(o.out, "partial\n");
  EXPECT_EQ(o.err, "no recipe for x\n");
}

TEST(BoundedCommand, DeathBySignalIsReported) {
  BoundedOutcome o = run("kill -SEGV $$");
  EXPECT_FALSE(o.succeeded());
  EXPECT_EQ(o.exit_code, -1);
  EXPECT_EQ(o.signal, SIGSEGV);
}

TEST(BoundedCommand, AProgramThatIgnoresItsInputIsNoError) {
  // It exits before reading: our write gets EPIPE (never a SIGPIPE that would end the test).
  BoundedOutcome o = run("exec echo done", std::string(1 << 20, 'x'));
  EXPECT_TRUE(o.succeeded());
  EXPECT_EQ(o.out, "done\n");
}

TEST(BoundedCommand, HangingProgramAndItsChildrenAreKilledAtTheLimit) {
  TempDir dir;
  const std::string pid_file = dir / "child.pid";
  int64_t start = steady_ms();
  // A background child that keeps stdout open, and a foreground sleep: both must go.
  BoundedOutcome o =
      run("sleep 60 & echo $! > " + pid_file + "; echo 'thinking' >&2; sleep 60", "", 300);
  int64_t took = steady_ms() - start;
  EXPECT_TRUE(o.timed_out);
  EXPECT_FALSE(o.succeeded());
  EXPECT_EQ(o.err, "thinking\n");
  EXPECT_LT(took, 5000) << "the limit was 300 ms";
  pid_t child = std::stoi(read_text(pid_file));
  // Killed with SIGKILL; the orphan is reaped by init, so allow it a moment to vanish.
  int64_t deadline = steady_ms() + 5000;
  while (alive(child) && steady_ms() < deadline) usleep(1000);
  EXPECT_FALSE(alive(child)) << "the builder's background child " << child << " survived";
}

// FlowLine stopping cancels a helper at once, children included, whatever its time limit.
TEST(BoundedCommand, CancelKillsTheHelperAtOnce) {
  TempDir dir;
  const std::string pid_file = dir / "child.pid";
  int cancel[2];
  ASSERT_EQ(pipe(cancel), 0);
  BoundedCommand c;
  // The helper says it started (by writing its child's pid) before the cancel is sent.
  c.shell_command = "sleep 60 & echo $! > " + pid_file + "; sleep 60";
  c.timeout_ms = 120000;
  c.cancel_fd = cancel[0];
  std::thread canceller([&] {
    const int64_t deadline = steady_ms() + 20000;
    while (read_text(pid_file).empty() && steady_ms() < deadline) usleep(1000);
    (void)!write(cancel[1], "x", 1);
  });
  Result<BoundedOutcome> o = run_bounded(c);
  canceller.join();
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_TRUE(o->cancelled);
  EXPECT_FALSE(o->timed_out);
  EXPECT_FALSE(o->succeeded());
  pid_t child = std::stoi(read_text(pid_file));
  int64_t deadline = steady_ms() + 5000;
  while (alive(child) && steady_ms() < deadline) usleep(1000);
  EXPECT_FALSE(alive(child)) << "the helper's background child " << child << " survived";
  close(cancel[0]);
  close(cancel[1]);
}

TEST(BoundedCommand, ExitedProgramWhoseChildHoldsStdoutTimesOut) {
  // The shell is gone, but its output is not complete while a child can still write to it.
  BoundedOutcome o = run("sleep 60 & echo early", "", 300);
  EXPECT_TRUE(o.timed_out);
  EXPECT_EQ(o.out, "early\n");
}

TEST(BoundedCommand, RunawayOutputIsCutOff) {
  BoundedCommand c;
  c.shell_command = "yes";
  c.max_output = 100000;
  Result<BoundedOutcome> o = run_bounded(c);
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_TRUE(o->output_too_large);
  EXPECT_FALSE(o->succeeded());
}

TEST(BoundedCommand, OnlyTheTailOfStderrIsKept) {
  BoundedCommand c;
  c.shell_command = "i=0; while [ $i -lt 3000 ]; do echo line$i >&2; i=$((i+1)); done";
  c.max_error = 1000;
  Result<BoundedOutcome> o = run_bounded(c);
  ASSERT_TRUE(o) << o.error().message;
  EXPECT_LE(o->err.size(), 1000u);
  EXPECT_NE(o->err.find("line2999\n"), std::string::npos);
  EXPECT_EQ(o->err.find("line0\n"), std::string::npos);
}

TEST(BoundedCommand, RunsInTheGivenDirectory) {
  TempDir dir;
  BoundedCommand c;
  c.shell_command = "pwd -P";
  c.cwd = dir.path();
  Result<BoundedOutcome> o = run_bounded(c);
  ASSERT_TRUE(o) << o.error().message;
  char real[PATH_MAX];
  ASSERT_NE(realpath(dir.path().c_str(), real), nullptr);
  EXPECT_EQ(o->out, std::string(real) + "\n");
}

TEST(BoundedCommand, AMissingDirectoryIsAnError) {
  BoundedCommand c;
  c.shell_command = "true";
  c.cwd = "/nonexistent/flowline-test";
  Result<BoundedOutcome> o = run_bounded(c);
  ASSERT_FALSE(o);
  EXPECT_NE(o.error().message.find("/nonexistent/flowline-test"), std::string::npos);
}

TEST(BoundedCommand, BlockedSignalsOfTheCallerAreNotInherited) {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  BoundedOutcome o = run("kill -TERM $$; sleep 5");  // would hang 5 s if SIGTERM were blocked
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  EXPECT_EQ(o.signal, SIGTERM);
}

}  // namespace
}  // namespace flowline

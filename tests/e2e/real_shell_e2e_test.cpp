// The interactive shell of the real `flowline run`, in a real terminal, on simulated GPUs.
#include <gtest/gtest.h>

#include <sstream>

#include "e2e/support/tmux_session.hpp"
#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

std::string exe() { return FLOWLINE_EXE; }

// 4 short jobs of 6000 MiB on two 24000 MiB simulated GPUs.
std::string start_command(const std::string& secs, const std::string& extra = "") {
  return exe() + " run todo.csv --sim-gpus 2x24000 --max 2 " + extra + " --cmd '" + exe() +
         " sim-job --mem {min_mem} --secs " + secs + "'";
}

void write_table(const TempDir& dir) {
  write_file(dir.file("todo.csv"),
             "name,min_mem\nalpha,6000\nbeta,6000\ngamma,6000\ndelta,6000\n");
}

TEST(RealShell, StartsStoppedRunsOnCommandAndShowsGpusRunsAndTasks) {
  TempDir dir;
  write_table(dir);
  TmuxSession term(dir.path(), start_command("1"));
  ASSERT_TRUE(term.wait_for("dispatch is stopped")) << term.screen();
  term.enter_line("gpus");
  ASSERT_TRUE(term.wait_for("FlowLine Simulated GPU")) << term.screen();
  EXPECT_NE(term.screen().find("simulated"), std::string::npos);
  term.enter_line("task");
  ASSERT_TRUE(term.wait_for("alpha")) << term.screen();
  EXPECT_NE(term.screen().find("queued"), std::string::npos);
  term.enter_line("run");
  ASSERT_TRUE(term.wait_for("dispatch started: 2 runs started")) << term.screen();  // --max 2
  term.enter_line("ls");
  ASSERT_TRUE(term.wait_for("sim-job --mem 6000")) << term.screen();
  // An engine message arrives while a line is half typed: the line survives, still editable.
  term.type("tas");
  ASSERT_TRUE(term.wait_for("succeeded", std::chrono::milliseconds(20000))) << term.screen();
  ASSERT_TRUE(term.wait_for_last_line("flowline> tas")) << term.screen();
  term.type("k");
  term.press("Enter");
  ASSERT_TRUE(term.wait_for("done")) << term.screen();
  term.enter_line("max 0");
  ASSERT_TRUE(term.wait_for("usage")) << term.screen();  // a bad argument says the right form
  term.enter_line("exit");
  if (term.wait_for("[s/l/c]", std::chrono::milliseconds(2000))) term.enter_line("s");
  ASSERT_TRUE(term.wait_for_exit(std::chrono::milliseconds(30000))) << term.screen();
}

// The shell stays open when the queue is finished: it must say so, once.
TEST(RealShell, SaysWhenTheQueueIsFinished) {
  TempDir dir;
  write_table(dir);
  TmuxSession term(dir.path(), start_command("0.2"));
  ASSERT_TRUE(term.wait_for("dispatch is stopped")) << term.screen();
  term.enter_line("run");
  ASSERT_TRUE(
      term.wait_for("every task has finished: 4 done, 0 failed", std::chrono::milliseconds(30000)))
      << term.screen();
  term.enter_line("exit");
  ASSERT_TRUE(term.wait_for_exit(std::chrono::milliseconds(20000))) << term.screen();
}

TEST(RealShell, ExitLeavingRunsLetsTheNextRunReadoptThem) {
  TempDir dir;
  write_table(dir);
  TmuxSession term(dir.path(), start_command("3", "--start"));
  ASSERT_TRUE(term.wait_for("flowline>")) << term.screen();
  term.enter_line("ls");
  ASSERT_TRUE(term.wait_for("sim-job")) << term.screen();
  term.enter_line("exit");
  ASSERT_TRUE(term.wait_for("[s/l/c]")) << term.screen();
  term.enter_line("l");
  ASSERT_TRUE(term.wait_for_exit(std::chrono::milliseconds(20000))) << term.screen();
  // The runs outlived the shell; a batch run re-adopts them and finishes the table.
  Outcome o = run_flowline({"run", "todo.csv", "--batch", "--sim-gpus", "2x24000", "--cmd",
                            exe() + " sim-job --mem {min_mem} --secs 0.2"},
                           dir.path());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_NE(o.err.find("re-adopted run"), std::string::npos) << o.err;
  std::string csv = read_file(dir.file("todo.csv"));
  for (const char* name : {"alpha", "beta", "gamma", "delta"})
    EXPECT_NE(csv.find(std::string(name) + ",6000,1"), std::string::npos) << csv;
}

// Recovery runs before the interactive shell exists; what it said (the runs it re-adopted) is
// shown at the new session's prompt all the same.
TEST(RealShell, ANewInteractiveSessionIsToldWhichRunsItReadopted) {
  TempDir dir;
  write_table(dir);
  {
    TmuxSession first(dir.path(), start_command("30", "--start"));
    ASSERT_TRUE(first.wait_for("flowline>")) << first.screen();
    first.enter_line("ls");
    ASSERT_TRUE(first.wait_for("sim-job")) << first.screen();
    first.enter_line("exit");
    ASSERT_TRUE(first.wait_for("[s/l/c]")) << first.screen();
    first.enter_line("l");
    ASSERT_TRUE(first.wait_for_exit(std::chrono::milliseconds(20000))) << first.screen();
  }
  TmuxSession term(dir.path(), start_command("30"));
  ASSERT_TRUE(term.wait_for("re-adopted run")) << term.screen();
  EXPECT_TRUE(term.wait_for("(alpha)")) << term.screen();
  EXPECT_TRUE(term.wait_for("(beta)")) << term.screen();
  term.enter_line("exit");
  ASSERT_TRUE(term.wait_for("[s/l/c]")) << term.screen();
  term.enter_line("s");  // nothing is left running after the test
  ASSERT_TRUE(term.wait_for_exit(std::chrono::milliseconds(30000))) << term.screen();
}

}  // namespace
}  // namespace flowline::testing

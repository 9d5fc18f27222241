// The interactive shell in a real terminal (tmux), driven as a user would: typing, Tab,
// arrows, Ctrl-C, Ctrl-D, while the (fake) engine posts messages from another thread.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "e2e/support/tmux_session.hpp"
#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kPrompt = "flowline> ";

class ShellE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(find_program("tmux").empty()) << "tmux is needed (scripts/install-deps.sh)";
    fifo_ = dir_.file("control");
    ASSERT_EQ(::mkfifo(fifo_.c_str(), 0600), 0);
    write_file(dir_.file("run3.out"), "epoch 1 loss 0.9\nepoch 2 loss 0.7\n");
    start_shell();
  }

  void start_shell() {
    term_ =
        std::make_unique<TmuxSession>(dir_.path(), std::string(SHELL_DRIVER) + " " + dir_.path() +
                                                       " " + fifo_ + " " + dir_.file("result"));
    ASSERT_TRUE(term_->started());
    ASSERT_TRUE(term_->wait_for_last_line("flowline>")) << term_->screen();
  }

  // Tells the fake engine to do something (post a message, end a run, stop).
  // Types `line` and waits for the exit question's prompt.
  void ask_exit(const std::string& line, const std::string& expected) {
    term_->enter_line(line);
    ASSERT_TRUE(term_->wait_for(expected)) << term_->screen();
    ASSERT_TRUE(term_->wait_for_last_line("[s/l/c]")) << term_->screen();
  }

  void control(const std::string& line) {
    int fd = ::open(fifo_.c_str(), O_WRONLY | O_NONBLOCK);
    ASSERT_GE(fd, 0);
    std::string text = line + "\n";
    ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    ::close(fd);
  }

  // Types a command and waits for `expected` to appear once more than before.
  void command(const std::string& line, const std::string& expected) {
    size_t before = term_->count(expected);
    term_->enter_line(line);
    ASSERT_TRUE(term_->wait_for_more(expected, before)) << line << "\n" << term_->screen();
    ASSERT_TRUE(term_->wait_for_last_line("flowline>")) << line << "\n" << term_->screen();
  }

  std::string result() {
    EXPECT_TRUE(term_->wait_for_exit()) << term_->screen();
    return read_file(dir_.file("result"));
  }

  TempDir dir_;
  std::string fifo_;
  std::unique_ptr<TmuxSession> term_;
};

TEST_F(ShellE2eTest, GreetsAndSaysDispatchIsStopped) {
  std::string screen = term_->screen();
  EXPECT_THAT(screen, HasSubstr("`help` lists commands"));
  EXPECT_THAT(screen, HasSubstr("dispatch is stopped: type `run` to start"));
}

TEST_F(ShellE2eTest, EveryCommandAnswers) {
  command("run", "dispatch started");
  command("status", "dispatch:  on");
  command("gpus", "SIMULATED GPUs (--sim-gpus): not real hardware");
  command("gpu 1", "GPU 1 disabled");
  command("gpus", "  1  disabled");
  command("ls", "RUN  TASK  NAME    GPUS  ELAPSED  PEAK MiB   PID  COMMAND");
  command("task", " 2  lr=0.001  failed    1/3");
  command("max 2", "\nmax 2\n");  // the answer, not the echo of the typed line
  command("min 5000", "min 5000 MiB");
  command("order utilization asc", "\norder utilization asc\n");
  command("drop 1", "task 1 dropped");
  command("retry 1", "task 1 queued");
  command("logs 3", "epoch 2 loss 0.7");
  command("kill 4", "run 4 stopped; its task is queued again");
  command("killgpu 0", "stopped 1 runs on GPU 0");
  command("ls", "no runs are running");
  command("task --json", "\"need_run_num\":3");
  command("help", "commands (help <command> for details");
  command("? kill", "usage: kill <run id>  (run ids: see ls)");
  command("status", "max:       2 runs at once");
  term_->enter_line("exit");
  EXPECT_EQ(result(), "stop_runs");  // no runs were left, so nothing was asked
}

TEST_F(ShellE2eTest, GpusLsAndTaskTablesOnScreen) {
  command("gpus", "GPU  STATUS     UTIL  FREE/TOTAL MiB  OURS/ALL  TEMP  POWER W  NAME");
  std::string screen = term_->screen();
  EXPECT_THAT(screen, HasSubstr("  0  available   45%     30000/40960       1/2   61C  180/400"));
  EXPECT_THAT(screen, HasSubstr("  1  available    0%     40000/40960         -     -      -/-"));
  command("ls", "  3     0  lr=0.1  0        2m0s      9120  4003  python train.py --lr 0.1");
  command("task", "ID  NAME      STATE    RUNS  PRIO     MEM MiB  NOTE");
  EXPECT_THAT(term_->screen(), HasSubstr(" 1  lr=0.01   queued    0/1     0     -/10000  waiting for a GPU"));
}

TEST_F(ShellE2eTest, TablesFitANarrowTerminal) {
  term_.reset();
  // A state dir of its own: the first driver may still hold its ctl socket for a moment, and
  // a second instance on the same state dir is (rightly) refused.
  std::string narrow = dir_.file("narrow");
  ASSERT_TRUE(std::filesystem::create_directory(narrow));
  term_ = std::make_unique<TmuxSession>(
      dir_.path(),
      std::string(SHELL_DRIVER) + " " + narrow + " " + fifo_ + " " + dir_.file("result"), 50, 30);
  ASSERT_TRUE(term_->started());
  ASSERT_TRUE(term_->wait_for_last_line("flowline>")) << term_->screen();
  command("ls", "RUN  TASK");
  EXPECT_THAT(term_->screen(),
              HasSubstr("  3     0  lr=0.1  0        2m0s      9120  4003  python\n"));
}

TEST_F(ShellE2eTest, BadArgumentSaysTheRightFormAndChangesNothing) {
  command("max lots", "usage: max <n>  (n ≥ 1: runs at once); now 4");
  command("kill x", "usage: kill <run id>  (run ids: see ls)");
  command("status", "max:       4 runs at once");
  command("ls", "  4     0");  // run 4 is still there
}

TEST_F(ShellE2eTest, TabCompletesCommandsAndIds) {
  term_->type("kil");
  term_->press("Tab");
  ASSERT_TRUE(term_->wait_for_last_line("flowline> kill")) << term_->screen();
  term_->press("Tab");  // "kill" or "killgpu": readline lists both on the second Tab that
  term_->press("Tab");  // makes no progress
  ASSERT_TRUE(term_->wait_for("kill     killgpu")) << term_->screen();
  term_->type(" ");
  term_->press("Tab");
  term_->press("Tab");  // two run ids: the second Tab lists them
  ASSERT_TRUE(term_->wait_for("\n3  4")) << term_->screen();
  term_->type("4");
  term_->press("Enter");
  ASSERT_TRUE(term_->wait_for("run 4 stopped")) << term_->screen();
  term_->type("gpus --j");
  term_->press("Tab");
  ASSERT_TRUE(term_->wait_for_last_line("flowline> gpus --json")) << term_->screen();
  term_->press("C-c");
  term_->type("logs 3 ");
  term_->press("Tab");
  ASSERT_TRUE(term_->wait_for_last_line("flowline> logs 3 -f")) << term_->screen();
}

TEST_F(ShellE2eTest, HistoryIsKeptAcrossSessions) {
  command("max 3", "\nmax 3\n");
  command("min 7000", "min 7000 MiB");
  ask_exit("exit", "runs are still running");
  term_->enter_line("l");
  EXPECT_EQ(result(), "leave_runs");
  term_.reset();
  start_shell();
  term_->press("Up");
  ASSERT_TRUE(term_->wait_for_last_line("flowline> exit")) << term_->screen();
  term_->press("Up");
  ASSERT_TRUE(term_->wait_for_last_line("flowline> min 7000")) << term_->screen();
  term_->press("Up");
  ASSERT_TRUE(term_->wait_for_last_line("flowline> max 3")) << term_->screen();
  term_->press("Enter");
  ASSERT_TRUE(term_->wait_for("\nmax 3\nflowline>")) << term_->screen();  // it ran
  struct stat st {};
  ASSERT_EQ(::stat(dir_.file("history").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ShellE2eTest, ExitWithLiveRunsAsksAndStopsThem) {
  ask_exit("exit",
           "2 runs are still running.\nStop them (s), leave them running for a later "
           "`flowline run` to re-adopt (l), or cancel (c)?");
  term_->enter_line("s");
  EXPECT_EQ(result(), "stop_runs");
  EXPECT_THAT(term_->screen(), HasSubstr("stopping the runs"));
}

TEST_F(ShellE2eTest, CtrlDWithLiveRunsAsksAndLeavesThem) {
  term_->press("C-d");
  ASSERT_TRUE(term_->wait_for("2 runs are still running")) << term_->screen();
  term_->enter_line("maybe");
  ASSERT_TRUE(term_->wait_for("please answer s (stop them), l (leave them running) or c"));
  term_->enter_line("l");
  EXPECT_EQ(result(), "leave_runs");
  EXPECT_THAT(term_->screen(), HasSubstr("re-adopts them"));
}

TEST_F(ShellE2eTest, CancelledExitKeepsTheShellAndTheRuns) {
  ask_exit("exit", "runs are still running");
  command("c", "cancelled");
  command("ls", "  3     0");
  EXPECT_FALSE(term_->program_exited());
  EXPECT_FALSE(file_exists(dir_.file("result")));
}

TEST_F(ShellE2eTest, CtrlCClearsTheLineAndNeverKillsRuns) {
  term_->type("kill 3");
  ASSERT_TRUE(term_->wait_for_last_line("flowline> kill 3"));
  term_->press("C-c");
  ASSERT_TRUE(term_->wait_for_last_line("flowline>")) << term_->screen();
  command("ls", "  3     0  lr=0.1");
  EXPECT_FALSE(term_->program_exited());
}

TEST_F(ShellE2eTest, MessageWhileTypingKeepsTheHalfTypedLineEditable) {
  term_->type("max 1");
  term_->press("Left");  // the cursor sits before the "1"
  ASSERT_TRUE(term_->wait_for_last_line("flowline> max 1"));
  control("post run 7 finished (exit 0)");
  ASSERT_TRUE(term_->wait_for("run 7 finished (exit 0)\nflowline> max 1")) << term_->screen();
  term_->type("2");  // lands where the cursor was
  term_->press("Enter");
  ASSERT_TRUE(term_->wait_for("max 21\n")) << term_->screen();
  EXPECT_THAT(term_->screen(), Not(HasSubstr("flowline> max 1run")));
}

TEST_F(ShellE2eTest, LogsFollowPrintsNewOutputUntilCtrlC) {
  term_->enter_line("logs 3 -f");
  ASSERT_TRUE(term_->wait_for("following run 3 (Ctrl-C to stop)")) << term_->screen();
  std::ofstream(dir_.file("run3.out"), std::ios::app) << "epoch 3 loss 0.5\n";
  ASSERT_TRUE(term_->wait_for("epoch 3 loss 0.5")) << term_->screen();
  term_->press("C-c");
  ASSERT_TRUE(term_->wait_for_last_line("flowline>")) << term_->screen();
  command("ls", "  3     0  lr=0.1");  // Ctrl-C stopped following, not the run
}

TEST_F(ShellE2eTest, LogsFollowEndsWithTheRun) {
  term_->enter_line("logs 3 -f");
  ASSERT_TRUE(term_->wait_for("following run 3")) << term_->screen();
  control("end-run 3");
  ASSERT_TRUE(term_->wait_for("run 3 has ended")) << term_->screen();
  ASSERT_TRUE(term_->wait_for_last_line("flowline>")) << term_->screen();
}

TEST_F(ShellE2eTest, CtlTalksToTheRunningShellsInstance) {
  Outcome set = run_flowline({"ctl", "--state-dir", dir_.path(), "max", "3"});
  EXPECT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(set.out, "max 3\n");
  command("status", "max:       3 runs at once");  // the shell sees what ctl changed
  Outcome ls = run_flowline({"ctl", "--state-dir", dir_.path(), "ls"});
  EXPECT_EQ(ls.exit_code, 0);
  EXPECT_THAT(ls.out,
              HasSubstr("  4     0  lr=0.1  1        2m0s         -  4004  python train.py"));
  Outcome refused = run_flowline({"ctl", "--state-dir", dir_.path(), "kill", "99"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err, "no run 99\n");
  term_->enter_line("exit");
  term_->enter_line("l");
  EXPECT_EQ(result(), "leave_runs");
  // The instance is gone, and with it its socket.
  EXPECT_EQ(run_flowline({"ctl", "--state-dir", dir_.path(), "ls"}).exit_code, 3);
}

TEST_F(ShellE2eTest, TablesAreColouredOnTheTerminal) {
  command("task", "ID  NAME");
  EXPECT_THAT(term_->screen_with_colour(), HasSubstr("\033[31mfailed"));
}

TEST_F(ShellE2eTest, EngineStoppingElsewhereEndsTheShell) {
  control("stop");
  EXPECT_EQ(result(), "none");
  EXPECT_THAT(term_->screen(), HasSubstr("FlowLine is stopping."));
}

}  // namespace
}  // namespace flowline::testing

// LocalExecutor with real processes: exit status, logs, environment, timeout, stopping whole
// process trees, and adoption after a FlowLine restart.
#include "exec/local/local_executor.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>

#include "exec/local/pidfd.hpp"
#include "exec/local/proc.hpp"
#include "exec/local/run_files.hpp"
#include "exec/local/slot_file.hpp"
#include "exec_test_util.hpp"

extern char** environ;

namespace flowline {
namespace {

using exec_test::Fifo;
using exec_test::process_alive;
using exec_test::read_text;
using exec_test::sessions_of;
using exec_test::session_processes;
using exec_test::wait_for_exits;

constexpr int kWaitMs = 20000;  // generous: sanitizer builds on a busy machine

class LocalExecutorTest : public ::testing::Test {
 protected:
  std::unique_ptr<LocalExecutor> make(int64_t grace_ms = 200, bool durable = false) {
    LocalExecutorOptions options;
    options.durable_exit_records = durable;
    options.runs_root = dir_ / "runs";
    options.supervisor_path = FLOWLINE_BINARY_DIR "/src/flowline-supervise";
    options.grace_ms = grace_ms;
    auto exec = LocalExecutor::create(options);
    EXPECT_TRUE(exec.ok()) << exec.error().message;
    return std::move(exec).value();
  }

  LaunchSpec spec(int64_t run_id, std::string command) {
    LaunchSpec s;
    s.run_id = run_id;
    s.task_id = run_id * 10;
    s.command = std::move(command);
    s.cwd = dir_.path();
    s.stdout_path = out_path(run_id);
    s.stderr_path = dir_ / ("log/" + std::to_string(run_id) + ".err");
    return s;
  }
  std::string out_path(int64_t run_id) { return dir_ / ("log/" + std::to_string(run_id) + ".out"); }

  RunExit run_one(LocalExecutor& exec, const LaunchSpec& s) {
    auto record = exec.start(s);
    EXPECT_TRUE(record.ok()) << record.error().message;
    auto exits = wait_for_exits(exec, 1, kWaitMs);
    EXPECT_EQ(exits.size(), 1u);
    return exits.empty() ? RunExit{} : exits[0];
  }

  // Launches a run that says so once it runs (after `before`, shell code) and then sleeps;
  // returns its record once it is up.
  Result<RunRecord> launch_up(LocalExecutor& exec, int64_t run_id, const std::string& before = "") {
    Fifo up(dir_ / ("up-" + std::to_string(++fifos_)));
    auto record = exec.start(spec(run_id, before + "echo up > " + up.path() + "; sleep 100"));
    if (record.ok() && up.read_line(kWaitMs) != "up\n")
      return Error{"run " + std::to_string(run_id) + " never came up"};
    return record;
  }

  // The slot a run's record names ("RUNS/slots#N").
  static int64_t slot_in(const RunRecord& record) {
    return std::stoll(record.run_dir.substr(record.run_dir.rfind('#') + 1));
  }
  // Who holds `slot` in the slot file (-1: nobody).
  int64_t claimant(int64_t slot) {
    int fd = open((dir_ / "runs/slots").c_str(), O_RDONLY | O_CLOEXEC);
    int64_t run_id = fd < 0 ? -2 : slot_file::claimant(fd, slot);
    if (fd >= 0) close(fd);
    return run_id;
  }

  exec_test::TempDir dir_;
  int fifos_ = 0;
};

TEST_F(LocalExecutorTest, RecordsExitCodeAndWritesLogs) {
  auto exec = make();
  auto exit = run_one(*exec, spec(1, "echo to-out; echo to-err >&2; exit 3"));
  EXPECT_EQ(exit.run_id, 1);
  EXPECT_EQ(exit.exit_code, 3);
  EXPECT_FALSE(exit.signal);
  EXPECT_FALSE(exit.timed_out || exit.stopped || exit.lost);
  EXPECT_LE(exit.started_ms, exit.ended_ms);
  EXPECT_GT(exit.started_ms, 1'600'000'000'000);  // wall-clock milliseconds
  EXPECT_EQ(read_text(out_path(1)), "to-out\n");
  EXPECT_EQ(read_text(dir_ / "log/1.err"), "to-err\n");
}

TEST_F(LocalExecutorTest, DurableExitRecordsGiveTheSameResult) {
  auto exec = make(200, /*durable=*/true);
  auto exit = run_one(*exec, spec(1, "exit 6"));
  EXPECT_EQ(exit.exit_code, 6);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "runs/1"));  // records are in the slot file
}

TEST_F(LocalExecutorTest, AppendsToExistingLogs) {
  auto exec = make();
  run_one(*exec, spec(1, "echo first"));
  auto exit = run_one(*exec, spec(2, "echo second >> " + out_path(1)));
  EXPECT_EQ(exit.exit_code, 0);
  EXPECT_EQ(read_text(out_path(1)), "first\nsecond\n");
}

TEST_F(LocalExecutorTest, RecordsKillingSignal) {
  auto exec = make();
  auto exit = run_one(*exec, spec(1, "kill -KILL $$"));
  EXPECT_FALSE(exit.exit_code);
  EXPECT_EQ(exit.signal, SIGKILL);
  EXPECT_FALSE(exit.stopped);
}

TEST_F(LocalExecutorTest, EnvironmentAndWorkingDirectoryReachTheCommand) {
  auto exec = make();
  std::filesystem::create_directories(dir_ / "work");
  auto s = spec(5,
                "echo \"$CUDA_VISIBLE_DEVICES|$CUDA_DEVICE_ORDER|$FLOWLINE_TASK_ID|"
                "$FLOWLINE_RUN_ID|$FLOWLINE_GPUS|$EXTRA|$HOME\"; pwd");
  s.task_id = 7;
  s.gpus = {2, 0};
  s.env = {{"EXTRA", "a b"}};
  s.cwd = dir_ / "work";
  EXPECT_EQ(run_one(*exec, s).exit_code, 0);
  std::string home = getenv("HOME") ? getenv("HOME") : "";
  EXPECT_EQ(read_text(out_path(5)),
            "2,0|PCI_BUS_ID|7|5|2,0|a b|" + home + "\n" + (dir_ / "work") + "\n");
}

TEST_F(LocalExecutorTest, CpuOnlyRunSeesNoGpu) {
  auto exec = make();
  auto s = spec(1, "echo \"[${CUDA_VISIBLE_DEVICES-unset}]\"");
  EXPECT_EQ(run_one(*exec, s).exit_code, 0);
  EXPECT_EQ(read_text(out_path(1)), "[]\n");
}

TEST_F(LocalExecutorTest, RunsInItsOwnSessionAndProcessGroup) {
  auto exec = make();
  auto s = spec(1, "echo $$ $(ps -o sid= -o pgid= -p $$)");
  auto record = exec->start(s);
  ASSERT_TRUE(record.ok()) << record.error().message;
  ASSERT_EQ(wait_for_exits(*exec, 1, kWaitMs).size(), 1u);
  std::istringstream out(read_text(out_path(1)));
  int64_t sh_pid = 0, sid = 0, pgid = 0;
  out >> sh_pid >> sid >> pgid;
  EXPECT_EQ(sid, record->session_id);
  EXPECT_EQ(record->session_id, record->supervisor_pid);
  EXPECT_EQ(pgid, sh_pid);  // a group of its own, so the group can be signalled as a whole
  EXPECT_NE(sid, getsid(0));
}

TEST_F(LocalExecutorTest, TimeoutStopsTheRun) {
  auto exec = make(/*grace_ms=*/100);
  auto s = spec(1, "sleep 100");
  s.timeout_ms = 300;
  int64_t start = exec_test::steady_ms();
  auto exit = run_one(*exec, s);
  int64_t took = exec_test::steady_ms() - start;
  EXPECT_TRUE(exit.timed_out);
  EXPECT_FALSE(exit.stopped);
  EXPECT_EQ(exit.signal, SIGTERM);
  EXPECT_GE(exit.ended_ms - exit.started_ms, 300);
  EXPECT_LT(took, 10000);
}

TEST_F(LocalExecutorTest, TimeoutEscalatesToKillWhenTermIsIgnored) {
  auto exec = make(/*grace_ms=*/100);
  auto s = spec(1, "trap '' TERM; sleep 100");
  s.timeout_ms = 300;
  auto record = exec->start(s);
  ASSERT_TRUE(record.ok());
  auto exits = wait_for_exits(*exec, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_TRUE(exits[0].timed_out);
  EXPECT_EQ(exits[0].signal, SIGKILL);
  EXPECT_GE(exits[0].ended_ms - exits[0].started_ms, 400);  // timeout + grace
  EXPECT_TRUE(session_processes(record->session_id).empty());
}

// The acceptance case of issue 4: a grandchild that double-forks (reparented away from the
// shell) and one that even leaves the session must die with the run.
TEST_F(LocalExecutorTest, StopKillsTheWholeTreeIncludingDoubleForks) {
  auto exec = make(/*grace_ms=*/300);
  Fifo ready(dir_ / "ready");
  Fifo escaped_pid(dir_ / "escaped");
  auto s = spec(1, "(sleep 101 &) ; (setsid sh -c 'echo $$ > " + escaped_pid.path() +
                       "; exec sleep 102' &) ; (trap '' TERM; sleep 103) & echo ready > " +
                       ready.path() + "; sleep 104");
  auto record = exec->start(s);
  ASSERT_TRUE(record.ok()) << record.error().message;
  ASSERT_EQ(ready.read_line(kWaitMs), "ready\n");
  std::string escaped_line = escaped_pid.read_line(kWaitMs);
  ASSERT_FALSE(escaped_line.empty());
  pid_t escaped = std::stoi(escaped_line);
  ASSERT_TRUE(process_alive(escaped));
  EXPECT_NE(getsid(escaped), record->session_id);  // it left the session: only the tree finds it
  EXPECT_GE(session_processes(record->session_id).size(), 4u);

  ASSERT_TRUE(exec->stop(1).ok());
  auto exits = wait_for_exits(*exec, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_TRUE(exits[0].stopped);
  EXPECT_EQ(exits[0].signal, SIGTERM);
  EXPECT_TRUE(session_processes(record->session_id).empty());
  EXPECT_FALSE(process_alive(escaped));
  EXPECT_FALSE(process_alive(static_cast<pid_t>(record->supervisor_pid)));
}

TEST_F(LocalExecutorTest, ProcessesLeftBehindByAFinishedCommandAreTerminated) {
  auto exec = make();
  auto record = exec->start(spec(1, "sleep 100 & echo $! > worker.pid; exit 0"));
  ASSERT_TRUE(record.ok());
  auto exits = wait_for_exits(*exec, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].exit_code, 0);  // the command's own status, not the clean-up's
  EXPECT_FALSE(exits[0].stopped);
  EXPECT_FALSE(process_alive(std::stoi(read_text(dir_ / "worker.pid"))));
  EXPECT_TRUE(session_processes(record->session_id).empty());
}

TEST_F(LocalExecutorTest, MissingWorkingDirectoryIsAnErrorNamingIt) {
  auto exec = make();
  auto s = spec(1, "true");
  s.cwd = dir_ / "no-such-dir";
  auto record = exec->start(s);
  ASSERT_FALSE(record.ok());
  EXPECT_NE(record.error().message.find("no-such-dir"), std::string::npos);
  EXPECT_NE(record.error().message.find("No such file or directory"), std::string::npos)
      << record.error().message;
  EXPECT_TRUE(sessions_of(*exec).empty());
}

TEST_F(LocalExecutorTest, UnwritableLogIsAnErrorNamingIt) {
  auto exec = make();
  auto s = spec(1, "true");
  s.stdout_path = "/proc/flowline-cannot-write-here.out";
  auto record = exec->start(s);
  ASSERT_FALSE(record.ok());
  EXPECT_NE(record.error().message.find("/proc/flowline-cannot-write-here.out"), std::string::npos);
}

TEST_F(LocalExecutorTest, StopOfUnknownRunIsAnError) {
  auto exec = make();
  EXPECT_FALSE(exec->stop(42).ok());
}

TEST_F(LocalExecutorTest, LiveSessionsListsRunningRuns) {
  auto exec = make();
  auto record = launch_up(*exec, 1);
  ASSERT_TRUE(record.ok()) << record.error().message;
  EXPECT_EQ(sessions_of(*exec), std::vector<int64_t>{record->session_id});
  ASSERT_TRUE(exec->stop(1).ok());
  ASSERT_EQ(wait_for_exits(*exec, 1, kWaitMs).size(), 1u);
  EXPECT_TRUE(sessions_of(*exec).empty());
}

// Waits until process `pid` (a supervisor) has exited, and reaps it if it is our child. Its
// parent is the supervisor server (or init once that has gone), which may have reaped it
// already.
void wait_and_reap(int64_t pid) {
  int fd = pidfd::open(static_cast<pid_t>(pid));
  if (fd < 0 && errno == ESRCH) return;  // ended and reaped
  ASSERT_GE(fd, 0);
  pollfd pfd{fd, POLLIN, 0};
  ASSERT_EQ(poll(&pfd, 1, kWaitMs), 1);
  siginfo_t info{};
  waitid(P_PIDFD, static_cast<id_t>(fd), &info, WEXITED);
  close(fd);
}

// The supervisor server (flowline-supervise --serve), found among our children.
std::optional<pid_t> supervisor_server() {
  for (pid_t kid : proc::children(getpid())) {
    auto args = proc::cmdline(kid);
    if (args.size() == 2 && args[1] == "--serve") return kid;
  }
  return std::nullopt;
}

// Supervisors share the server's memory, command line included; their process name (what
// `ps -o comm`, top and pgrep show) says which run each one watches.
TEST_F(LocalExecutorTest, PsTellsARunsSupervisorFromTheServer) {
  auto exec = make();
  auto record = launch_up(*exec, 7);
  ASSERT_TRUE(record.ok()) << record.error().message;
  auto comm = [](int64_t pid) {
    return proc::read_file("/proc/" + std::to_string(pid) + "/comm").value_or("(gone)");
  };
  EXPECT_EQ(comm(record->supervisor_pid), "fl-run-7\n");
  std::optional<pid_t> server = supervisor_server();
  ASSERT_TRUE(server.has_value());
  EXPECT_EQ(comm(*server), "flowline-superv\n");  // the kernel keeps 15 characters
  ASSERT_TRUE(exec->stop(7).ok());
  ASSERT_EQ(wait_for_exits(*exec, 1, kWaitMs).size(), 1u);
}

TEST_F(LocalExecutorTest, AServerThatDiedIsReplacedAtTheNextLaunch) {
  auto exec = make();
  ASSERT_TRUE(exec->start(spec(1, "true")).ok());
  ASSERT_EQ(wait_for_exits(*exec, 1, kWaitMs).size(), 1u);
  std::optional<pid_t> server = supervisor_server();
  ASSERT_TRUE(server.has_value());
  kill(*server, SIGKILL);
  auto record = exec->start(spec(2, "echo second"));
  ASSERT_TRUE(record.ok()) << record.error().message;
  auto exits = wait_for_exits(*exec, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].exit_code, 0);
  EXPECT_EQ(read_text(out_path(2)), "second\n");
  std::optional<pid_t> replacement = supervisor_server();
  ASSERT_TRUE(replacement.has_value());
  EXPECT_NE(*replacement, *server);
}

// Through the executor seam the engine and the store see only a handle's text: a later
// executor adopts a run from that text alone, and a handle of another executor is refused.
TEST_F(LocalExecutorTest, AdoptsARunFromItsHandleTextAndRefusesAnotherExecutorsHandle) {
  auto first = make();
  Fifo ready(dir_ / "ready");
  Result<RunHandle> handle = first->launch(spec(1, "echo up > " + ready.path() + "; sleep 100"));
  ASSERT_TRUE(handle.ok()) << handle.error().message;
  ASSERT_EQ(ready.read_line(kWaitMs), "up\n");
  EXPECT_EQ(handle_kind(handle->text), "local");
  first.reset();

  auto second = make();
  Result<RunHandle> adopted = second->adopt(RunHandle{1, handle->text});
  ASSERT_TRUE(adopted.ok()) << adopted.error().message;
  EXPECT_EQ(adopted->text, handle->text);
  ASSERT_EQ(sessions_of(*second).size(), 1u);
  EXPECT_EQ(second->place(1).session_id, sessions_of(*second)[0]);
  EXPECT_EQ(second->run_of_session().begin()->second, 1);

  Result<RunHandle> foreign = second->adopt(RunHandle{2, "slurm:4711"});
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.error().message.find("slurm executor"), std::string::npos)
      << foreign.error().message;

  ASSERT_TRUE(second->stop(1).ok());
  auto exits = wait_for_exits(*second, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_TRUE(exits[0].stopped);
}

TEST_F(LocalExecutorTest, AdoptsRunsAfterRestart) {
  auto first = make();
  Fifo ready(dir_ / "ready");
  std::string go = dir_ / "go";
  ASSERT_EQ(mkfifo(go.c_str(), 0600), 0);
  auto live = first->start(spec(1, "echo up > " + ready.path() + "; read x < " + go + "; exit 4"));
  auto ended = first->start(spec(2, "exit 5"));
  ASSERT_TRUE(live.ok() && ended.ok());
  ASSERT_EQ(ready.read_line(kWaitMs), "up\n");
  first.reset();                         // FlowLine "crashes": nobody watches the runs now
  wait_and_reap(ended->supervisor_pid);  // run 2 ends unwatched

  auto second = make();
  ASSERT_TRUE(second->readopt(*live).ok());
  ASSERT_TRUE(second->readopt(*ended).ok());
  auto exits = wait_for_exits(*second, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].run_id, 2);
  EXPECT_EQ(exits[0].exit_code, 5);
  EXPECT_EQ(sessions_of(*second), std::vector<int64_t>{live->session_id});

  int go_fd = open(go.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(go_fd, 0);
  ASSERT_EQ(write(go_fd, "x\n", 2), 2);
  close(go_fd);
  exits = wait_for_exits(*second, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].run_id, 1);
  EXPECT_EQ(exits[0].exit_code, 4);
  EXPECT_FALSE(exits[0].lost);
}

TEST_F(LocalExecutorTest, AdoptedRunCanBeStopped) {
  auto first = make();
  auto record = launch_up(*first, 1, "(sleep 100 &); ");
  ASSERT_TRUE(record.ok()) << record.error().message;
  first.reset();
  auto second = make();
  ASSERT_TRUE(second->readopt(*record).ok());
  ASSERT_TRUE(second->stop(1).ok());
  auto exits = wait_for_exits(*second, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_TRUE(exits[0].stopped);
  EXPECT_TRUE(session_processes(record->session_id).empty());
}

// FlowLine died after spawning the supervisor but before storing its pid.
TEST_F(LocalExecutorTest, AdoptsARunKnownOnlyByItsId) {
  auto first = make();
  auto record = launch_up(*first, 3);
  ASSERT_TRUE(record.ok()) << record.error().message;
  first.reset();
  auto second = make();
  ASSERT_TRUE(second->readopt(RunRecord{3, 0, 0, ""}).ok());
  EXPECT_EQ(sessions_of(*second), std::vector<int64_t>{record->session_id});
  ASSERT_TRUE(second->stop(3).ok());
  auto exits = wait_for_exits(*second, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_TRUE(exits[0].stopped);
  EXPECT_FALSE(exits[0].lost);
}

TEST_F(LocalExecutorTest, RunNeverSpawnedIsReportedAsNeverStarted) {
  auto exec = make();
  ASSERT_TRUE(exec->readopt(RunRecord{4, 0, 0, ""}).ok());
  auto exits = wait_for_exits(*exec, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_TRUE(exits[0].lost);
  EXPECT_NE(exits[0].detail.find("never started"), std::string::npos) << exits[0].detail;
}

TEST_F(LocalExecutorTest, RunWhoseSupervisorVanishedIsLost) {
  auto exec = make();
  std::filesystem::create_directories(dir_ / "runs/7");
  RunRecord record{7, 999'999'999, 999'999'999, dir_ / "runs/7"};
  ASSERT_TRUE(exec->readopt(record).ok());
  auto exits = wait_for_exits(*exec, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_TRUE(exits[0].lost);
  EXPECT_FALSE(exits[0].exit_code || exits[0].signal);
  EXPECT_NE(exits[0].detail.find("not running"), std::string::npos) << exits[0].detail;
}

// A process FlowLine did not start, with a recorded pid that now names it: never adopted,
// never signalled.
TEST_F(LocalExecutorTest, NeverAdoptsOrSignalsAStranger) {
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);  // even a session leader, like ours
  char sleep_arg[] = "sleep", hundred[] = "100";
  char* argv[] = {sleep_arg, hundred, nullptr};
  pid_t stranger = 0;
  ASSERT_EQ(posix_spawnp(&stranger, "sleep", nullptr, &attr, argv, environ), 0);
  posix_spawnattr_destroy(&attr);

  auto exec = make();
  std::filesystem::create_directories(dir_ / "runs/9");
  RunRecord record{9, stranger, stranger, dir_ / "runs/9"};
  ASSERT_TRUE(exec->readopt(record).ok());
  auto exits = wait_for_exits(*exec, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_TRUE(exits[0].lost);
  EXPECT_NE(exits[0].detail.find("pid reused"), std::string::npos) << exits[0].detail;
  EXPECT_FALSE(exec->stop(9).ok());
  EXPECT_TRUE(sessions_of(*exec).empty());
  EXPECT_TRUE(process_alive(stranger));
  kill(stranger, SIGKILL);
  waitpid(stranger, nullptr, 0);
}

// Same pid and run directory, but the process started at another time than the supervisor
// that wrote the pid file: the pid was reused, so it is not adopted.
TEST_F(LocalExecutorTest, StartTimeMismatchIsTreatedAsPidReuse) {
  auto first = make();
  auto record = launch_up(*first, 1);
  ASSERT_TRUE(record.ok()) << record.error().message;
  int fd = open((dir_ / "runs/slots").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  run_files::PidInfo forged{record->supervisor_pid, 1};
  ASSERT_EQ(slot_file::write_region(fd, slot_in(*record), slot_file::Region::kPid, 1,
                                    run_files::format_pid(forged), false),
            0);
  close(fd);

  auto second = make();
  ASSERT_TRUE(second->readopt(*record).ok());
  auto exits = wait_for_exits(*second, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_TRUE(exits[0].lost);
  EXPECT_NE(exits[0].detail.find("another time"), std::string::npos) << exits[0].detail;
  EXPECT_TRUE(process_alive(static_cast<pid_t>(record->supervisor_pid)));

  // Clean up through the executor that really started it.
  ASSERT_TRUE(first->stop(1).ok());
  ASSERT_EQ(wait_for_exits(*first, 1, kWaitMs).size(), 1u);
}

// Another run's real supervisor is not this run's supervisor.
TEST_F(LocalExecutorTest, AnotherRunsSupervisorIsNotAdopted) {
  auto exec = make();
  auto record = launch_up(*exec, 1);
  ASSERT_TRUE(record.ok()) << record.error().message;
  auto other = make();
  std::filesystem::create_directories(dir_ / "runs/2");
  RunRecord forged{2, record->supervisor_pid, record->session_id, dir_ / "runs/2"};
  ASSERT_TRUE(other->readopt(forged).ok());
  auto exits = wait_for_exits(*other, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_TRUE(exits[0].lost);
  EXPECT_FALSE(other->stop(2).ok());
  EXPECT_TRUE(process_alive(static_cast<pid_t>(record->supervisor_pid)));
  ASSERT_TRUE(exec->stop(1).ok());
  ASSERT_EQ(wait_for_exits(*exec, 1, kWaitMs).size(), 1u);
}

// A supervisor killed outright (by a user, the OOM killer) leaves its command unsupervised:
// the run is reported lost and what is left of it is killed, not left holding a GPU.
TEST_F(LocalExecutorTest, SupervisorKilledWithoutRecordIsLostAndItsOrphansKilled) {
  auto exec = make();
  auto record = launch_up(*exec, 1, "(sleep 100 &); ");
  ASSERT_TRUE(record.ok()) << record.error().message;
  auto orphans = session_processes(record->session_id);
  std::erase(orphans, static_cast<pid_t>(record->supervisor_pid));
  ASSERT_GE(orphans.size(), 2u);
  kill(static_cast<pid_t>(record->supervisor_pid), SIGKILL);
  auto exits = wait_for_exits(*exec, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_TRUE(exits[0].lost);
  // (How it ended is known only to its parent, the supervisor server.)
  EXPECT_NE(exits[0].detail.find("ended without recording"), std::string::npos)
      << exits[0].detail;
  EXPECT_NE(exits[0].detail.find("were killed"), std::string::npos) << exits[0].detail;
  EXPECT_TRUE(exec_test::wait_gone(orphans, kWaitMs));
}

// The same while FlowLine was down: found on adoption.
TEST_F(LocalExecutorTest, AdoptionKillsOrphansOfADeadSupervisor) {
  auto first = make();
  auto record = launch_up(*first, 1);
  ASSERT_TRUE(record.ok()) << record.error().message;
  auto orphans = session_processes(record->session_id);
  std::erase(orphans, static_cast<pid_t>(record->supervisor_pid));
  first.reset();
  kill(static_cast<pid_t>(record->supervisor_pid), SIGKILL);
  waitpid(static_cast<pid_t>(record->supervisor_pid), nullptr, 0);  // as init would
  auto second = make();
  ASSERT_TRUE(second->readopt(*record).ok());
  auto exits = wait_for_exits(*second, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_TRUE(exits[0].lost);
  EXPECT_NE(exits[0].detail.find("were killed"), std::string::npos) << exits[0].detail;
  EXPECT_TRUE(exec_test::wait_gone(orphans, kWaitMs));
}

// A run creates no file but its logs: its records take a slot of RUNS/slots, freed when the
// run is forgotten (its end is in the store) and then reused.
TEST_F(LocalExecutorTest, ForgetFreesTheSlotOfAFinishedRunOnlyAndTheSlotIsReused) {
  auto exec = make();
  auto done = exec->start(spec(1, "true"));
  ASSERT_TRUE(done.ok());
  ASSERT_EQ(wait_for_exits(*exec, 1, kWaitMs).size(), 1u);
  auto live = launch_up(*exec, 2);
  ASSERT_TRUE(live.ok()) << live.error().message;
  EXPECT_NE(slot_in(*done), slot_in(*live));
  exec->forget(1);
  exec->forget(2);
  EXPECT_EQ(claimant(slot_in(*done)), -1);
  EXPECT_EQ(claimant(slot_in(*live)), 2);
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "runs"))
    names.push_back(e.path().filename());
  EXPECT_EQ(names, std::vector<std::string>{"slots"});
  auto next = exec->start(spec(3, "true"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(slot_in(*next), slot_in(*done));
  ASSERT_EQ(wait_for_exits(*exec, 1, kWaitMs).size(), 1u);
  ASSERT_TRUE(exec->stop(2).ok());
  ASSERT_EQ(wait_for_exits(*exec, 1, kWaitMs).size(), 1u);
}

// A later FlowLine finds the slots still held (a live run it adopts, an end not yet in the
// store) and gives a new run another one.
TEST_F(LocalExecutorTest, ALaterExecutorKeepsTheSlotsOfTheRunsItAdopts) {
  auto first = make();
  auto live = launch_up(*first, 1);
  ASSERT_TRUE(live.ok()) << live.error().message;
  auto done = first->start(spec(2, "exit 5"));
  ASSERT_TRUE(done.ok());
  // Ended and collected, but (FlowLine killed before the store took it) never forgotten.
  ASSERT_EQ(wait_for_exits(*first, 1, kWaitMs).size(), 1u);
  first.reset();
  auto second = make();
  // As the engine does: every unfinished run is adopted before anything is launched.
  ASSERT_TRUE(second->readopt(*live).ok());
  ASSERT_TRUE(second->readopt(*done).ok());
  auto fresh = second->start(spec(3, "true"));
  ASSERT_TRUE(fresh.ok());
  EXPECT_NE(slot_in(*fresh), slot_in(*live));
  EXPECT_NE(slot_in(*fresh), slot_in(*done));
  ASSERT_TRUE(second->stop(1).ok());
  auto exits = wait_for_exits(*second, 3, kWaitMs);
  ASSERT_EQ(exits.size(), 3u);
  for (const RunExit& e : exits) {
    EXPECT_FALSE(e.lost) << e.run_id << ": " << e.detail;
    if (e.run_id == 2) EXPECT_EQ(e.exit_code, 5);  // its record was still in its slot
    if (e.run_id == 1) EXPECT_TRUE(e.stopped);
  }
}

// A claim nobody adopted before the first launch is a run whose end the store has (FlowLine
// died between recording it and forgetting it): its slot is freed and reused, not kept
// forever.
TEST_F(LocalExecutorTest, AClaimNotAdoptedBeforeTheFirstLaunchIsFreed) {
  auto first = make();
  auto recorded = first->start(spec(1, "true"));
  ASSERT_TRUE(recorded.ok());
  ASSERT_EQ(wait_for_exits(*first, 1, kWaitMs).size(), 1u);
  first.reset();
  auto second = make();
  EXPECT_EQ(claimant(slot_in(*recorded)), 1);
  auto next = second->start(spec(2, "true"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(slot_in(*next), slot_in(*recorded));
  EXPECT_EQ(claimant(slot_in(*next)), 2);
  ASSERT_EQ(wait_for_exits(*second, 1, kWaitMs).size(), 1u);
}

// Upgrading FlowLine while runs are live: a run started before slots has a directory with a
// pid file and an exit record; it is adopted from there, and forgetting it removes them.
TEST_F(LocalExecutorTest, AdoptsARunOfTheLayoutBeforeSlots) {
  const std::string run_dir = dir_ / "runs/8";
  std::filesystem::create_directories(run_dir);
  RunExit ended;
  ended.exit_code = 9;
  ended.started_ms = 1000;
  ended.ended_ms = 2000;
  ASSERT_EQ(run_files::write_atomically(run_dir, run_files::kExitFile,
                                        run_files::format_exit(ended), false),
            0);
  ASSERT_EQ(run_files::write_atomically(run_dir, run_files::kPidFile,
                                        run_files::format_pid({999'999'999, 5}), false),
            0);
  auto exec = make();
  ASSERT_TRUE(exec->readopt(RunRecord{8, 999'999'999, 999'999'999, run_dir}).ok());
  auto exits = wait_for_exits(*exec, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0].run_id, 8);
  EXPECT_EQ(exits[0].exit_code, 9);
  EXPECT_FALSE(exits[0].lost);
  exec->forget(8);
  EXPECT_FALSE(std::filesystem::exists(run_dir));
}

// The same for a run of the old layout still running: its supervisor (started by hand, which
// still writes a run directory) is adopted, stopped, and its exit read from the directory.
TEST_F(LocalExecutorTest, AdoptsALiveRunOfTheLayoutBeforeSlotsKnownOnlyByItsId) {
  const std::string run_dir = dir_ / "runs/6";
  std::filesystem::create_directories(run_dir);
  Fifo up(dir_ / "up-old");
  std::string command = "echo up > " + up.path() + "; sleep 100";
  char* argv[] = {const_cast<char*>(FLOWLINE_BINARY_DIR "/src/flowline-supervise"),
                  const_cast<char*>("--run-dir"),
                  const_cast<char*>(run_dir.c_str()),
                  const_cast<char*>("--"),
                  command.data(),
                  nullptr};
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, argv[0], nullptr, &attr, argv, environ), 0);
  posix_spawnattr_destroy(&attr);
  ASSERT_EQ(up.read_line(kWaitMs), "up\n");
  auto exec = make();
  auto adopted = exec->readopt(RunRecord{6, 0, 0, ""});
  ASSERT_TRUE(adopted.ok()) << adopted.error().message;
  EXPECT_EQ(adopted->supervisor_pid, pid);
  EXPECT_EQ(adopted->run_dir, run_dir);
  ASSERT_TRUE(exec->stop(6).ok());
  // Our child, not the server's: reap it, as init would, for the pidfd to report its end.
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  auto exits = wait_for_exits(*exec, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_TRUE(exits[0].stopped) << exits[0].detail;
  EXPECT_FALSE(exits[0].lost);
}

TEST_F(LocalExecutorTest, StopRightAfterLaunchIsNotLost) {
  auto exec = make();
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(exec->start(spec(i, "sleep 100")).ok());
    ASSERT_TRUE(exec->stop(i).ok());
  }
  auto exits = wait_for_exits(*exec, 5, kWaitMs);
  ASSERT_EQ(exits.size(), 5u);
  for (const auto& e : exits) {
    EXPECT_FALSE(e.lost) << e.detail;
    EXPECT_TRUE(e.stopped);
  }
}

TEST_F(LocalExecutorTest, RunsManyConcurrently) {
  auto exec = make();
  for (int i = 1; i <= 20; ++i)
    ASSERT_TRUE(exec->start(spec(i, "exit " + std::to_string(i))).ok());
  auto exits = wait_for_exits(*exec, 20, kWaitMs);
  ASSERT_EQ(exits.size(), 20u);
  for (const auto& e : exits) EXPECT_EQ(e.exit_code, e.run_id);
}

// Each supervisor works in a block of the server's memory holding its command and environment;
// blocks are reused, and a run too big for the usual block gets one of its own. Forty runs in
// two waves, three of them with a large environment: every run sees its own command and
// environment, never another's.
TEST_F(LocalExecutorTest, EveryRunGetsItsOwnCommandAndEnvironmentWhenBlocksAreReused) {
  auto exec = make();
  const std::string big(100 * 1024, 'x');  // three of them: past the usual block
  for (int wave = 0; wave < 2; ++wave) {
    for (int i = 1; i <= 20; ++i) {
      const int id = wave * 20 + i;
      LaunchSpec s = spec(id, "printf '%s %s %s' \"$RUN_TAG\" " + std::to_string(id) +
                                  " \"${#BIG1}${#BIG2}${#BIG3}\"");
      s.env["RUN_TAG"] = "tag" + std::to_string(id);
      if (id % 13 == 0) s.env["BIG1"] = s.env["BIG2"] = s.env["BIG3"] = big;
      ASSERT_TRUE(exec->start(s).ok());
    }
    ASSERT_EQ(wait_for_exits(*exec, 20, kWaitMs).size(), 20u);
  }
  for (int id = 1; id <= 40; ++id) {
    const std::string one = std::to_string(big.size());
    const std::string size = id % 13 == 0 ? one + one + one : "000";
    EXPECT_EQ(read_text(out_path(id)), "tag" + std::to_string(id) + " " + std::to_string(id) +
                                           " " + size)
        << "run " << id;
  }
}

// A supervisor shares the server's memory but not its life: killing the server leaves the
// run's supervisor to finish its run and record how it ended.
TEST_F(LocalExecutorTest, ARunOutlivesAKilledServerAndIsRecorded) {
  auto exec = make();
  ASSERT_TRUE(launch_up(*exec, 1).ok());
  std::optional<pid_t> server = supervisor_server();
  ASSERT_TRUE(server.has_value());
  const int server_fd = pidfd::open(*server);
  ASSERT_GE(server_fd, 0);
  ASSERT_EQ(kill(*server, SIGKILL), 0);
  pollfd gone{server_fd, POLLIN, 0};
  ASSERT_EQ(poll(&gone, 1, kWaitMs), 1);  // the server has exited
  close(server_fd);
  EXPECT_EQ(sessions_of(*exec).size(), 1u);
  ASSERT_TRUE(exec->stop(1).ok());
  auto exits = wait_for_exits(*exec, 1, kWaitMs);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_TRUE(exits[0].stopped);
  EXPECT_FALSE(exits[0].lost) << exits[0].detail;
}

}  // namespace
}  // namespace flowline

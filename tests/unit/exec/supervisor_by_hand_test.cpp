// `flowline-supervise --run-dir DIR [...] -- COMMAND` started by hand (its own process, the
// environment it was given), as a user debugging a run would: the same pid file, the same exit
// record, the same timeout, as the supervisors the server starts.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <string>
#include <vector>

#include "exec/local/run_files.hpp"
#include "exec_test_util.hpp"

namespace flowline {
namespace {

// Runs the supervisor with `args` and `env`, stdout into `out`; returns its exit status.
int supervise_by_hand(std::vector<std::string> args, std::vector<std::string> env,
                      const std::string& out) {
  args.insert(args.begin(), FLOWLINE_BINARY_DIR "/src/flowline-supervise");
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int err = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

TEST(SupervisorByHand, RecordsTheExitAndPassesItsEnvironmentOn) {
  exec_test::TempDir dir;
  const std::string out = dir / "out";
  ASSERT_EQ(supervise_by_hand({"--run-dir", dir.path(), "--", "echo \"$GREETING\"; exit 4"},
                              {"GREETING=hello from the table", "PATH=/usr/bin:/bin"}, out),
            0);
  EXPECT_EQ(exec_test::read_text(out), "hello from the table\n");
  auto exit = run_files::parse_exit(exec_test::read_text(dir / "exit"));
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exit_code, 4);
  EXPECT_FALSE(exit->timed_out);
  auto pid = run_files::parse_pid(exec_test::read_text(dir / "pid"));
  ASSERT_TRUE(pid);
  EXPECT_GT(pid->start_ticks, 0u);
}

TEST(SupervisorByHand, EnforcesItsTimeout) {
  exec_test::TempDir dir;
  ASSERT_EQ(supervise_by_hand({"--run-dir", dir.path(), "--timeout-ms", "200", "--grace-ms",
                               "100", "--", "sleep 30"},
                              {"PATH=/usr/bin:/bin"}, dir / "out"),
            0);
  auto exit = run_files::parse_exit(exec_test::read_text(dir / "exit"));
  ASSERT_TRUE(exit);
  EXPECT_TRUE(exit->timed_out);
  EXPECT_EQ(exit->signal, SIGTERM);  // stopped, not run to its end (which exits 0)
}

TEST(SupervisorByHand, RefusesBadArgumentsWithUsage) {
  exec_test::TempDir dir;
  EXPECT_EQ(supervise_by_hand({"--run-dir", dir.path(), "--timeout-ms", "soon", "--", "true"},
                              {}, dir / "out"),
            2);
}

}  // namespace
}  // namespace flowline

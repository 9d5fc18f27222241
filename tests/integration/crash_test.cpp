// `kill -9` FlowLine at random moments of a run, restart it each time: every row must end with
// exactly need_run_num successful runs, no run may start twice, none may be left unsupervised.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <random>
#include <sstream>
#include <thread>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

TEST(CrashRecovery, KillMinus9TenTimesLosesAndRepeatsNothing) {
  TempDir dir;
  std::string marker = "crashtest-" + std::filesystem::path(dir.path()).filename().string();
  std::filesystem::create_directory(dir.file("ledger"));
  std::string table = "name,gpus,need_run_num,cmd\n";
  int wanted = 0;
  for (int i = 0; i < 50; ++i) {
    int need = 1 + i % 2;
    wanted += need;
    // Each start is written to the task's ledger before the run's work; `: marker` lets the
    // test find the run's processes.
    table += "t" + std::to_string(i) + ",0," + std::to_string(need) +
             ",echo $FLOWLINE_RUN_ID >> ledger/$FLOWLINE_TASK_ID; : " + marker +
             "; sleep 0.0" + std::to_string(5 + i % 5) + "\n";
  }
  write_file(dir.file("todo.csv"), table);
  std::vector<std::string> args = {"run", "todo.csv", "--batch", "--max", "6", "--cmd", "{cmd}"};

  auto total_starts = [&] {
    int n = 0;
    for (int i = 0; i < 50; ++i) n += count_lines(dir.file("ledger/" + std::to_string(i)));
    return n;
  };
  std::mt19937 random(20261128);
  for (int round = 0; round < 10; ++round) {
    int before = total_starts();
    int pid = spawn_flowline(args, dir.path(), "flowline.log");
    // Once this instance is dispatching, kill it at a random moment of its work.
    wait_until([&] { return total_starts() > before || total_starts() >= wanted; });
    std::this_thread::sleep_for(std::chrono::milliseconds(
        std::uniform_int_distribution<int>(0, 120)(random)));
    kill(pid, SIGKILL);
    wait_for(pid);
  }
  // The kills did land mid-run: later instances found runs of earlier ones still going.
  int started_before_last = 0;
  for (int i = 0; i < 50; ++i) started_before_last += count_lines(dir.file("ledger/" + std::to_string(i)));
  EXPECT_GT(started_before_last, 0);
  int pid = spawn_flowline(args, dir.path(), "flowline.log");
  ASSERT_EQ(wait_for(pid), 0) << read_file(dir.file("flowline.log"));

  int started = 0;
  for (int i = 0; i < 50; ++i) {
    std::string ledger = dir.file("ledger/" + std::to_string(i));
    int need = 1 + i % 2;
    EXPECT_EQ(count_lines(ledger), need) << "task " << i << " started " << count_lines(ledger)
                                         << " times for need_run_num " << need;
    started += count_lines(ledger);
  }
  EXPECT_EQ(started, wanted);
  // run_num (appended as the last column) reached the table for every row.
  std::istringstream csv(read_file(dir.file("todo.csv")));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line.substr(line.rfind(',') + 1), "run_num");
  for (int i = 0; std::getline(csv, line); ++i)
    EXPECT_EQ(line.substr(line.rfind(',') + 1), std::to_string(1 + i % 2)) << line;
  EXPECT_NE(read_file(dir.file("flowline.log")).find("re-adopted run"), std::string::npos);
  EXPECT_TRUE(processes_with(marker).empty()) << "a run outlived FlowLine's end";
}

}  // namespace
}  // namespace flowline::testing

// Out-of-memory on simulated GPUs: what the promised-memory rule prevents, and what the
// failure policy does when a table under-declares its memory.
#include <gtest/gtest.h>

#include <filesystem>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

// Runs whose stderr shows PyTorch's OOM message.
int oom_runs(const std::string& log_dir) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(log_dir))
    if (e.path().extension() == ".err" &&
        read_file(e.path()).find("torch.OutOfMemoryError") != std::string::npos)
      ++n;
  return n;
}

std::string table(int tasks, int min_mem) {
  std::string t = "name,min_mem\n";
  for (int i = 0; i < tasks; ++i) t += "job" + std::to_string(i) + "," + std::to_string(min_mem) + "\n";
  return t;
}

// Six jobs of 7000 MiB on two 16000 MiB GPUs: at most two fit on each GPU at once.
Outcome run_jobs(const TempDir& dir, int min_mem) {
  write_file(dir.file("todo.csv"), table(6, min_mem));
  std::string job = std::string(FLOWLINE_EXE) + " sim-job --mem 7000 --secs 0.4";
  return run_flowline({"run", "todo.csv", "--batch", "--sim-gpus", "2x16000", "--max", "6",
                       "--oom-backoff", "0.1", "--cmd", job},
                      dir.path());
}

TEST(OutOfMemory, DeclaredMemoryMeansNoOutOfMemoryAtAll) {
  TempDir dir;
  Outcome o = run_jobs(dir, 7000);
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(oom_runs(dir.file("log/todo.csv")), 0);
}

TEST(OutOfMemory, UnderDeclaredMemoryOomsAreRequeuedUntilEveryJobSucceeds) {
  // The naive check (a GPU is free if NVML shows min_mem free) over-commits: 100 MiB is
  // "free" on both GPUs, so all six start at once and the surplus dies of OOM.
  TempDir dir;
  Outcome o = run_jobs(dir, 100);
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_GE(oom_runs(dir.file("log/todo.csv")), 1);
  EXPECT_NE(o.err.find("oom"), std::string::npos) << o.err;
  std::string csv = read_file(dir.file("todo.csv"));
  for (int i = 0; i < 6; ++i)
    EXPECT_NE(csv.find("job" + std::to_string(i) + ",100,1"), std::string::npos) << csv;
}

}  // namespace
}  // namespace flowline::testing

// Placement on simulated GPUs through the real NVML path: other users' memory is respected,
// disabled GPUs are never used, multi-GPU tasks get distinct GPUs.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <sstream>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

std::multiset<std::string> lines(const std::string& text) {
  std::multiset<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.insert(l);
  return out;
}

std::string job(int mib) {
  return std::string(FLOWLINE_EXE) + " sim-job --mem " + std::to_string(mib) +
         " --secs 0.3 && echo $CUDA_VISIBLE_DEVICES >> placed";
}

TEST(Placement, AnotherUsersProcessKeepsItsMemory) {
  TempDir dir;
  std::string state = dir.file("state");
  // Create the simulated GPUs, then let "another user" hold 20000 MiB of GPU 0.
  ASSERT_EQ(run_flowline({"gpus", "--sim-gpus", "2x24000", "--state-dir", state}).exit_code, 0);
  pid_t foreign = fork();
  if (foreign == 0) {
    execl("/bin/sleep", "sleep", "120", nullptr);
    _exit(127);
  }
  Outcome added = run_flowline({"sim-ctl", "--state", state + "/sim", "foreign", "0", "20000",
                                std::to_string(foreign)});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  write_file(dir.file("todo.csv"), "name,min_mem\na,8000\nb,8000\nc,8000\nd,8000\n");
  Outcome o = run_flowline({"run", "todo.csv", "--batch", "--sim-gpus", "2x24000", "--state-dir",
                            state, "--cmd", job(8000)},
                           dir.path());
  kill(foreign, SIGKILL);
  waitpid(foreign, nullptr, 0);
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(lines(read_file(dir.file("placed"))), (std::multiset<std::string>{"1", "1", "1", "1"}));
}

TEST(Placement, DisabledGpusAreNeverUsedAndMultiGpuTasksGetDistinctGpus) {
  TempDir dir;
  write_file(dir.file("todo.csv"),
             "name,gpus,min_mem\none,1,1000\ntwo,2,1000\nthree,1,1000\nfour,2,1000\n");
  Outcome o = run_flowline({"run", "todo.csv", "--batch", "--sim-gpus", "4x24000", "--gpus",
                            "1,3", "--cmd", job(1000)},
                           dir.path());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  for (const auto& placed : lines(read_file(dir.file("placed")))) {
    EXPECT_TRUE(placed == "1" || placed == "3" || placed == "1,3" || placed == "3,1") << placed;
  }
  EXPECT_EQ(lines(read_file(dir.file("placed"))).size(), 4u);
}

}  // namespace
}  // namespace flowline::testing

namespace flowline::testing {
namespace {

// A run that has allocated its min_mem is charged once: NVML's free memory already shows it.
// Charging it again (as "may still grow") would keep the second task waiting for the first.
TEST(Placement, MemoryARunHasAllocatedIsNotChargedTwice) {
  TempDir dir;
  // big and filler fill the GPU at once; when filler ends, NVML shows big's 10000 MiB in use.
  write_file(dir.file("todo.csv"),
             "name,min_mem,secs\nbig,10000,5\nfiller,14000,1\nsmall,14000,0.2\n");
  const std::string job = std::string(FLOWLINE_EXE) +
                          " sim-job --mem {min_mem} --secs {secs} && date +%s%N > {name}.end;"
                          " true";
  Outcome o = run_flowline({"run", "todo.csv", "--batch", "--sim-gpus", "1x24000", "--cmd",
                            "date +%s%N > {name}.start; " + job},
                           dir.path());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const long long small_start = std::stoll(read_file(dir.file("small.start")));
  const long long big_end = std::stoll(read_file(dir.file("big.end")));
  // 24000 − 10000 held by `big` leaves 14000: `small` fits as soon as `filler` is done, while
  // `big` still runs.
  EXPECT_LT(small_start, big_end) << o.err;
}

}  // namespace
}  // namespace flowline::testing

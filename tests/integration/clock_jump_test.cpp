// The system clock jumping while FlowLine runs (issue 14): a backoff, the loop's pacing and
// the table's write-back count on the monotonic clock, so a jump back of an hour delays
// nothing, and FlowLine says that its times now differ from the system's. The jump is made
// for the flowline process alone, by an LD_PRELOAD shim (support/clock_shift.c).
#include <gtest/gtest.h>

#include <filesystem>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

TEST(ClockJump, ARetryBackoffIsNotStretchedByTheSystemClockGoingBackAnHour) {
  TempDir dir;
  write_file(dir.file("t.csv"),
             "name,gpus,cmd\n"
             "flaky,0,n=$(cat n 2>/dev/null || echo 0); echo $((n+1)) > n; [ $n -ge 1 ]\n");
  const std::string shift = dir.file("shift");
  write_file(shift, "0");
  int pid = spawn_program({"/usr/bin/env", "LD_PRELOAD=" FLOWLINE_CLOCK_SHIFT_LIB,
                           "FLOWLINE_TEST_CLOCK_SHIFT_FILE=" + shift,
                           "ASAN_OPTIONS=verify_asan_link_order=0", flowline_exe(), "run",
                           "t.csv", "--batch", "--cmd", "{cmd}", "--retry-backoff", "2"},
                          dir.path(), "flowline.log");
  // The first run failed and its retry waits 2 s: now the clock goes back an hour.
  ASSERT_TRUE(wait_until([&] {
    return read_file(dir.file("flowline.log")).find("(flaky) failed") != std::string::npos;
  })) << read_file(dir.file("flowline.log"));
  write_file(shift, "-3600000");
  // Counted on the wall clock, the retry would wait an hour and two seconds.
  ASSERT_TRUE(wait_until([&] { return count_lines(dir.file("n")) == 1 &&
                                      read_file(dir.file("n")) == "2\n"; },
                         std::chrono::seconds(30)))
      << "the retry did not run within 30 s of the clock going back\n"
      << read_file(dir.file("flowline.log"));
  EXPECT_EQ(wait_for(pid), 0) << read_file(dir.file("flowline.log"));
  EXPECT_NE(read_file(dir.file("flowline.log")).find("the system clock went back by 3600 s"),
            std::string::npos)
      << read_file(dir.file("flowline.log"));
}

}  // namespace
}  // namespace flowline::testing

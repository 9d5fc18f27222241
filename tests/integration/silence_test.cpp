// Issue 14: silence that looks like a hang. A batch run either starts or says at once why it
// cannot, and a log of a long run shows that FlowLine is alive.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;

// `--gpus 9` on a machine with two GPUs would leave every GPU task waiting for ever.
TEST(Silence, GpusOptionNamingAMissingGpuIsRefusedAtStart) {
  TempDir dir;
  write_file(dir.file("todo.csv"), "name,gpus,cmd\ntrain,1,true\n");
  Outcome o = run_program({{flowline_exe(), "run", "todo.csv", "--batch", "--cmd", "{cmd}",
                            "--sim-gpus", "2x24000", "--gpus", "9"},
                           dir.path(),
                           {},
                           "",
                           std::chrono::milliseconds(20000)});
  ASSERT_FALSE(o.timed_out) << "it waited instead of refusing:\n" << o.err;
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_THAT(o.err, HasSubstr("flowline run: --gpus 9: no GPU 9 here (2 GPUs found: 0,1)"));
}

// Output to a file and no run finishing: a progress line still comes every interval (10 s;
// FLOWLINE_PROGRESS_EVERY_MS shortens it for this test).
TEST(Silence, ALogGetsProgressLinesWhileNothingFinishes) {
  TempDir dir;
  write_file(dir.file("todo.csv"),
             "name,gpus,cmd\nlong,0,while [ ! -e gate ]; do sleep 0.02; done\n");
  const int pid =
      spawn_program({"/usr/bin/env", "FLOWLINE_PROGRESS_EVERY_MS=200", flowline_exe(), "run",
                     "todo.csv", "--batch", "--cmd", "{cmd}"},
                    dir.path(), "flowline.log");
  auto progress_lines = [&] {
    std::istringstream in(read_file(dir.file("flowline.log")));
    int n = 0;
    for (std::string line; std::getline(in, line);) n += line.rfind("  [0/1 runs done", 0) == 0;
    return n;
  };
  const bool kept_reporting = wait_until([&] { return progress_lines() >= 3; });
  write_file(dir.file("gate"), "");
  EXPECT_EQ(wait_for(pid), 0);
  EXPECT_TRUE(kept_reporting) << read_file(dir.file("flowline.log"));
  EXPECT_THAT(read_file(dir.file("flowline.log")), HasSubstr("  [0/1 runs done · 1 running"));
}

}  // namespace
}  // namespace flowline::testing

// Listings through the real binary: `flowline ctl task|ls|gpus` against a running table and
// `flowline gpus`, at 80 and 160 columns ($COLUMNS, as a piped ctl has no terminal), with long,
// alike, CJK and hostile task names. One GPU layout for both; nothing raw reaches the terminal.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <set>
#include <sstream>

#include "front/shell/text_width.hpp"
#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void expect_fits_and_is_clean(const std::string& text, size_t width) {
  ASSERT_FALSE(text.empty());
  for (const std::string& line : lines_of(text)) {
    EXPECT_LE(shell::display_width(line), width) << line;
    EXPECT_FALSE(!line.empty() && line.back() == ' ') << "[" << line << "]";
    for (unsigned char c : line) EXPECT_FALSE(c < 0x20 || c == 0x7f) << line;
  }
}

class Listings : public ::testing::TestWithParam<size_t> {
 protected:
  void SetUp() override {
    // Each run waits for the file `gate`, so that every task is running while we look.
    write_file(dir_.file("todo.csv"),
               "name,seed\n"
               "imagenet100-resnet18-baseline-s0,0\n"
               "imagenet100-resnet18-baseline-s1,1\n"
               "实验-基线-种子0-学习率0.1,2\n"
               "\"evil\x1b[31mred\x1b[0m\nline\",3\n");
    write_file(dir_.file("wait.sh"),
               "i=0; while [ ! -e gate ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done\n");
    pid_ = spawn_flowline({"run", "todo.csv", "--batch", "--sim-gpus", "2x24000", "--min-mem", "0",
                           "--max", "4", "--cmd", "sh wait.sh {args}"},
                          dir_.path(), "flowline.log");
    ASSERT_GT(pid_, 0);
    auto running = [&] {
      const std::string out = ctl("task").out;
      size_t n = 0;
      for (size_t at = out.find("running"); at != std::string::npos;
           at = out.find("running", at + 1))
        ++n;
      return n;
    };
    ASSERT_TRUE(wait_until([&] { return running() == 4; }))
        << read_file(dir_.file("flowline.log")) << ctl("ls").out << ctl("task").out;
  }
  void TearDown() override {
    write_file(dir_.file("gate"), "");
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      wait_for(pid_);
    }
  }
  Outcome ctl(const std::string& command) {
    return run_flowline({"ctl", command}, dir_.path(), {{"COLUMNS", std::to_string(GetParam())}});
  }

  TempDir dir_;
  int pid_ = -1;
};

TEST_P(Listings, TaskAndLsShowEveryNameApartAndEscaped) {
  for (const char* command : {"task", "ls"}) {
    SCOPED_TRACE(command);
    Outcome o = ctl(command);
    ASSERT_EQ(o.exit_code, 0) << o.err;
    expect_fits_and_is_clean(o.out, GetParam());
    EXPECT_THAT(o.out, HasSubstr("evil\\x1b"));  // shown, not obeyed
    EXPECT_THAT(o.out, HasSubstr("-s0"));
    EXPECT_THAT(o.out, HasSubstr("-s1"));
    if (GetParam() >= 160) {
      EXPECT_THAT(o.out, HasSubstr("imagenet100-resnet18-baseline-s0"));
      EXPECT_THAT(o.out, HasSubstr("实验-基线-种子0-学习率0.1"));
    }
  }
  EXPECT_THAT(lines_of(ctl("ls").out)[0], HasSubstr("PID  COMMAND"));
}

TEST_P(Listings, GpusHasOneLayoutInCtlAndFlowlineGpus) {
  Outcome shell = ctl("gpus");
  ASSERT_EQ(shell.exit_code, 0) << shell.err;
  Outcome cli = run_flowline({"gpus", "--sim-gpus", "2x24000", "--state-dir", dir_.file("other")},
                             dir_.path(), {{"COLUMNS", std::to_string(GetParam())}});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  for (const Outcome* o : {&shell, &cli}) {
    expect_fits_and_is_clean(o->out, GetParam());
    EXPECT_THAT(o->out, Not(HasSubstr("?")));
    EXPECT_THAT(o->out, HasSubstr("SIMULATED GPUs"));
  }
  // The same banner and header, line for line.
  EXPECT_EQ(lines_of(shell.out)[0], lines_of(cli.out)[0]);
  EXPECT_EQ(lines_of(shell.out)[1], lines_of(cli.out)[1]);
  EXPECT_THAT(cli.out, HasSubstr("GPU  STATUS     UTIL  FREE/TOTAL MiB  OURS/ALL  TEMP  POWER W"));
}

INSTANTIATE_TEST_SUITE_P(Columns, Listings, ::testing::Values(80, 160));

}  // namespace
}  // namespace flowline::testing

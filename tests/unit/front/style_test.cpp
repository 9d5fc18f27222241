#include "front/shell/style.hpp"

#include <gtest/gtest.h>
#include <pty.h>
#include <stdlib.h>
#include <unistd.h>

#include <optional>
#include <string>

namespace flowline::shell {
namespace {

// Sets an environment variable for one test and puts the old value back.
class EnvVar {
 public:
  EnvVar(const char* name, const char* value) : name_(name) {
    if (const char* old = getenv(name)) old_ = old;
    value ? setenv(name, value, 1) : unsetenv(name);
  }
  ~EnvVar() { old_ ? setenv(name_, old_->c_str(), 1) : unsetenv(name_); }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class ColourTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(openpty(&master_, &slave_, nullptr, nullptr, nullptr), 0); }
  void TearDown() override {
    close(master_);
    close(slave_);
  }
  int master_ = -1, slave_ = -1;
  EnvVar term_{"TERM", "xterm"};
};

TEST_F(ColourTest, OnlyOnATerminal) {
  EnvVar no_colour("NO_COLOR", nullptr);
  EXPECT_TRUE(colour_wanted(slave_));
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  EXPECT_FALSE(colour_wanted(pipe_fds[1]));
  close(pipe_fds[0]);
  close(pipe_fds[1]);
}

TEST_F(ColourTest, NoColorAndDumbTerminalsTurnItOff) {
  {
    EnvVar no_colour("NO_COLOR", "1");
    EXPECT_FALSE(colour_wanted(slave_));
  }
  EnvVar no_colour("NO_COLOR", nullptr);
  EnvVar dumb("TERM", "dumb");
  EXPECT_FALSE(colour_wanted(slave_));
}

TEST(Style, PaintsOnlyWhenEnabled) {
  EXPECT_EQ(Style(false).paint("failed", Colour::kRed), "failed");
  EXPECT_EQ(Style(true).paint("failed", Colour::kRed), "\033[31mfailed\033[0m");
  EXPECT_EQ(Style(true).bold("ID"), "\033[1mID\033[0m");
}

}  // namespace
}  // namespace flowline::shell

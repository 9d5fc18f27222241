#include "front/shell/log_tail.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace flowline::shell {
namespace {

class LogTailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/flowline-tail-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/run.out";
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  void append(const std::string& text) { std::ofstream(path_, std::ios::app) << text; }
  std::string dir_, path_;
};

TEST_F(LogTailTest, LastLinesWithOrWithoutFinalNewline) {
  append("a\nb\nc\n");
  EXPECT_EQ(tail_lines(path_, 2).value(), "b\nc\n");
  EXPECT_EQ(tail_lines(path_, 10).value(), "a\nb\nc\n");
  append("partial");
  EXPECT_EQ(tail_lines(path_, 2).value(), "c\npartial\n");
}

TEST_F(LogTailTest, HugeFileReadsOnlyItsEnd) {
  append(std::string(1 << 20, 'x') + "\nlast line\n");
  EXPECT_EQ(tail_lines(path_, 1).value(), "last line\n");
}

TEST_F(LogTailTest, MissingFileIsAnErrorNamingIt) {
  auto r = tail_lines(dir_ + "/nope", 5);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, dir_ + "/nope: No such file or directory");
}

TEST_F(LogTailTest, FollowerReadsOnlyWhatWasAddedAndSurvivesTruncation) {
  FileFollower follow(path_, 0);
  EXPECT_EQ(follow.read_new(), "");  // not there yet
  append("one\n");
  EXPECT_EQ(follow.read_new(), "one\n");
  EXPECT_EQ(follow.read_new(), "");
  append("two\n");
  EXPECT_EQ(follow.read_new(), "two\n");
  std::ofstream(path_, std::ios::trunc) << "new\n";
  EXPECT_EQ(follow.read_new(), "new\n");
}

}  // namespace
}  // namespace flowline::shell

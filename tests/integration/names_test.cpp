// Task names as users write them: in any script, and sometimes hostile (an escape sequence
// pasted into a cell). Log files keep the letters; terminals get the text escaped.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::set<std::string> log_names(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.insert(e.path().filename().string());
  return names;
}

TEST(Names, LogFilesKeepLettersOfEveryScript) {
  TempDir dir;
  write_file(dir.file("todo.csv"),
             "name,gpus,cmd\n"
             "emoji-🚀-名前,0,echo one\n"
             "実験/基線 s0,0,echo two\n"
             "-rf,0,echo three\n");
  Outcome o = run_flowline({"run", "todo.csv", "--batch", "--max", "1"}, dir.path());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const std::set<std::string> names = log_names(dir.file("log/todo.csv"));
  // Only '/' is replaced; the old rule gave "1-emoji-____-______.out".
  EXPECT_TRUE(names.count("1-emoji-🚀-名前.out")) << ::testing::PrintToString(names);
  EXPECT_TRUE(names.count("2-実験_基線 s0.out")) << ::testing::PrintToString(names);
  EXPECT_TRUE(names.count("3-_rf.err")) << ::testing::PrintToString(names);
  EXPECT_EQ(read_file(dir.file("log/todo.csv/1-emoji-🚀-名前.out")), "one\n");
}

// An escape sequence in a cell must not recolour or move anything: `check`, batch messages and
// the summary show it as text.
TEST(Names, HostileNamesAreShownEscapedNeverRaw) {
  TempDir dir;
  write_file(dir.file("todo.csv"),
             "name,gpus,cmd\n"
             "\"red\x1b[31malert\x1b[0m\nsecond line\",0,exit 3\n");
  Outcome check = run_flowline({"check", "todo.csv"}, dir.path());
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_THAT(check.out, HasSubstr("#0  red\\x1b[31malert\\x1b[0m\\nsecond line\n"));
  Outcome run = run_flowline({"run", "todo.csv", "--batch", "--retries", "0"}, dir.path());
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.err, HasSubstr("(red\\x1b[31malert\\x1b[0m\\nsecond line)"));
  for (const Outcome* o : {&check, &run}) {
    EXPECT_EQ(o->out.find('\x1b'), std::string::npos) << o->out;
    EXPECT_EQ(o->err.find('\x1b'), std::string::npos) << o->err;
  }
}

}  // namespace
}  // namespace flowline::testing

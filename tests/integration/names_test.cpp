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

}  // namespace
}  // namespace flowline::testing

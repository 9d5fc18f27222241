// Issue 14: a run's log cannot fill the disk. `--log-limit` caps each of its logs; what comes
// past the cap is dropped with one note saying how much and why, and the run keeps running.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// The one log of `extension` (".out", ".err") in `dir`.
std::string only_log(const std::string& dir, const std::string& extension) {
  std::string found;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == extension) found = e.path().string();
  return found;
}

// 3,000,000 bytes on stdout against a cap of 100 KiB: the log keeps the first 100 KiB, then
// one note; stderr, under the cap, is whole; the run goes on after the cap and succeeds.
TEST(LogLimit, OutputPastTheCapIsDroppedWithOneNoteAndTheRunGoesOn) {
  TempDir dir;
  write_file(dir.file("todo.csv"),
             "name,gpus,cmd\n"
             "loud,0,yes 0123456789 | head -c 3000000; echo small >&2; echo yes > went-on\n");
  Outcome o = run_flowline(
      {"run", "todo.csv", "--batch", "--cmd", "{cmd}", "--log-limit", "100K"}, dir.path());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(read_file(dir.file("went-on")), "yes\n");
  const std::string out = read_file(only_log(dir.file("log/todo.csv"), ".out"));
  const size_t cap = 100 * 1024;
  ASSERT_GT(out.size(), cap);
  EXPECT_EQ(out.substr(0, 22), "0123456789\n0123456789\n");
  const std::string note = out.substr(cap);
  EXPECT_EQ(note,
            "\n[flowline: the rest of this run's output here, 2.7 MiB, was dropped: its log is "
            "capped at 100 KiB (--log-limit)]\n");
  EXPECT_EQ(read_file(only_log(dir.file("log/todo.csv"), ".err")), "small\n");
}

// 0 lifts the cap: everything is kept, and no note is written.
TEST(LogLimit, ZeroKeepsEverything) {
  TempDir dir;
  write_file(dir.file("todo.csv"), "name,gpus,cmd\nloud,0,yes 0123456789 | head -c 300000\n");
  Outcome o = run_flowline(
      {"run", "todo.csv", "--batch", "--cmd", "{cmd}", "--log-limit", "0"}, dir.path());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(read_file(only_log(dir.file("log/todo.csv"), ".out")).size(), 300000u);
}

TEST(LogLimit, HelpDocumentsIt) {
  Outcome o = run_flowline({"run", "--help"});
  EXPECT_THAT(o.out, HasSubstr("--log-limit SIZE"));
}

}  // namespace
}  // namespace flowline::testing

// `flowline run` on XLSX and JSON tables: run_num reaches the file and nothing else changes.
#include <gtest/gtest.h>

#include <filesystem>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

TEST(RunFormats, XlsxSavedByOpenpyxlGetsRunNumAndKeepsEveryValue) {
  TempDir dir;
  std::filesystem::copy_file(std::string(FLOWLINE_SOURCE_DIR) + "/tests/fixtures/tables/openpyxl.xlsx",
                             dir.file("todo.xlsx"));
  Outcome o = run_flowline({"run", "todo.xlsx", "--batch", "--sim-gpus", "1x24000", "--min-mem",
                            "0", "--cmd", "echo {lr} >> seen"},
                           dir.path());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(read_file(dir.file("seen")).size(), std::string("0.001\n1e-05\n2\n").size());
  // Reopened by the real openpyxl: every original value intact, run_num = 1 on each row.
  write_file(dir.file("dump.py"),
             "import openpyxl, sys\n"
             "ws = openpyxl.load_workbook(sys.argv[1]).active\n"
             "for row in ws.iter_rows(values_only=True): print(repr(row))\n");
  RunArgs dump_args;
  dump_args.argv = {"/usr/bin/python3", dir.file("dump.py"), dir.file("todo.xlsx")};
  Outcome dump = run_program(dump_args);
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  EXPECT_EQ(dump.out,
            "('name', 'lr', 'seed', 'note', 'flag', 'run_num')\n"
            "('a, b', 0.001, 1, 'say \"hi\"', True, 1)\n"
            "('c', 1e-05, 2, 'two\\nlines', False, 1)\n"
            "('αβ', 2, None, ' x ', None, 1)\n");
}

TEST(RunFormats, JsonTableGetsRunNumAndKeepsItsText) {
  TempDir dir;
  write_file(dir.file("todo.json"),
             "[\n  {\"name\": \"a\", \"lr\": 0.001, \"gpus\": 0, \"need_run_num\": 2},\n"
             "  {\"name\": \"b\", \"lr\": 1e-05, \"gpus\": 0, \"run_num\": 0}\n]\n");
  Outcome o = run_flowline({"run", "todo.json", "--batch", "--cmd", "true {args}"}, dir.path());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::string json = read_file(dir.file("todo.json"));
  EXPECT_NE(json.find("\"lr\": 0.001"), std::string::npos) << json;
  EXPECT_NE(json.find("\"lr\": 1e-05"), std::string::npos) << json;
  EXPECT_NE(json.find("\"run_num\": 1"), std::string::npos) << json;
  EXPECT_NE(json.find("\"run_num\": 2"), std::string::npos) << json;
}

}  // namespace
}  // namespace flowline::testing

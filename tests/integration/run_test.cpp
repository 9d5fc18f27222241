// `flowline run` end to end: real processes, real files, simulated GPUs through the real NVML
// code path.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

// Column `column` of every data row of a CSV without quoting.
std::vector<std::string> csv_column(const std::string& path, const std::string& column) {
  auto lines = lines_of(read_file(path));
  std::vector<std::string> header;
  std::istringstream h(lines.at(0));
  for (std::string cell; std::getline(h, cell, ',');) header.push_back(cell);
  size_t index = std::find(header.begin(), header.end(), column) - header.begin();
  std::vector<std::string> out;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> cells;
    std::istringstream r(lines[i]);
    for (std::string cell; std::getline(r, cell, ',');) cells.push_back(cell);
    out.push_back(index < cells.size() ? cells[index] : "");
  }
  return out;
}

bool is_success_line(const std::string& line) {
  return line.find(") succeeded") != std::string::npos;
}
bool is_progress_line(const std::string& line) { return line.rfind("  [", 0) == 0; }

struct RunTest : ::testing::Test {
  TempDir dir;
  // todo.csv with `rows` CPU tasks that run `true`.
  void write_true_table(int rows) {
    std::string table = "name,gpus,cmd\n";
    for (int i = 0; i < rows; ++i) table += "t" + std::to_string(i) + ",0,true\n";
    write_file(dir.file("todo.csv"), table);
  }
  Outcome run(std::vector<std::string> extra) {
    std::vector<std::string> args = {"run", "todo.csv", "--batch"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_flowline(args, dir.path());
  }
};

TEST_F(RunTest, CpuTasksRunToCompletionAndRunNumIsWrittenBack) {
  write_file(dir.file("todo.csv"),
             "name,x,gpus,need_run_num,cmd\n"
             "a,1,0,1,echo hello\n"
             "b,2,0,2,echo hello\n"
             "c,3,0,1,echo hello\n");
  Outcome o = run({});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(csv_column(dir.file("todo.csv"), "run_num"), (std::vector<std::string>{"1", "2", "1"}));
  // Every run kept its output, and the command got its parameters.
  int outs = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.file("log/todo.csv")))
    if (e.path().extension() == ".out") {
      ++outs;
      EXPECT_NE(read_file(e.path()).find("hello --x"), std::string::npos);
    }
  EXPECT_EQ(outs, 4);
}

// Piped to a log, a long table gives one line per finished run and a progress line now and
// then, not one after every run.
TEST_F(RunTest, BatchOutputToALogHasOneLinePerRunAndProgressOnlyNowAndThen) {
  write_true_table(40);
  Outcome o = run({"--max", "4", "--cmd", "{cmd}"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  int outcomes = 0, progress = 0;
  for (const std::string& line : lines_of(o.err)) {
    if (is_success_line(line)) ++outcomes;
    if (is_progress_line(line)) ++progress;
  }
  EXPECT_EQ(outcomes, 40) << o.err;
  EXPECT_GE(progress, 1) << o.err;  // the first message brings one
  EXPECT_LE(progress, 3) << o.err;  // then one per 10 s at most: a few on a very slow machine
  EXPECT_NE(o.err.find("40 tasks: 40 done"), std::string::npos) << o.err;
}

// A progress line never contradicts the messages above it: after "run 3 … succeeded" it
// counts that run as done (it used to show the state just before).
TEST_F(RunTest, ProgressLinesCountTheRunsReportedAboveThem) {
  write_true_table(8);
  Outcome o = run({"--max", "2", "--cmd", "{cmd}"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  int succeeded = 0, progress = 0;
  for (const std::string& line : lines_of(o.err)) {
    if (is_success_line(line)) ++succeeded;
    if (!is_progress_line(line)) continue;
    ++progress;
    EXPECT_GE(std::stoi(line.substr(3)), succeeded) << line << "\n" << o.err;
  }
  EXPECT_GE(progress, 1) << o.err;
}

// --pack offers a place to the task needing the most GPU memory first (priority still comes
// first); without it, rows start in table order. One run at a time shows the order.
TEST_F(RunTest, PackStartsLargeTasksFirstAndTableOrderIsTheDefault) {
  const std::string table =
      "name,min_mem,gpus,priority\n"
      "small,2000,1,0\n"
      "big,20000,1,0\n"
      "pair,6000,2,0\n"
      "urgent,1000,1,1\n";
  for (bool pack : {false, true}) {
    write_file(dir.file("todo.csv"), table);
    std::filesystem::remove(dir.file("order.txt"));
    std::vector<std::string> args = {"--max", "1", "--sim-gpus", "2x24000", "--cmd",
                                     "echo {name} >> order.txt", "--state-dir",
                                     pack ? "state-pack" : "state-table"};
    if (pack) args.push_back("--pack");
    Outcome o = run(args);
    ASSERT_EQ(o.exit_code, 0) << o.err;
    const std::vector<std::string> expected =
        pack ? std::vector<std::string>{"urgent", "big", "pair", "small"}
             : std::vector<std::string>{"urgent", "small", "big", "pair"};
    EXPECT_EQ(lines_of(read_file(dir.file("order.txt"))), expected) << (pack ? "--pack" : "");
  }
}

TEST_F(RunTest, RunsGetTheirEnvironment) {
  write_file(dir.file("todo.csv"), "name,gpus,min_mem,cmd\nonly,2,100,env\n");
  Outcome o = run({"--sim-gpus", "2x24000", "--cmd", "{cmd} > env.txt"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  std::string env = read_file(dir.file("env.txt"));
  EXPECT_NE(env.find("CUDA_DEVICE_ORDER=PCI_BUS_ID"), std::string::npos);
  EXPECT_NE(env.find("FLOWLINE_TASK_ID=0"), std::string::npos);
  EXPECT_NE(env.find("FLOWLINE_RUN_ID="), std::string::npos);
  EXPECT_TRUE(env.find("CUDA_VISIBLE_DEVICES=0,1") != std::string::npos ||
              env.find("CUDA_VISIBLE_DEVICES=1,0") != std::string::npos) << env;
  EXPECT_NE(env.find("FLOWLINE_GPUS="), std::string::npos);
}

TEST_F(RunTest, MaxIsNeverExceeded) {
  std::string table = "name,gpus,cmd\n";
  for (int i = 0; i < 8; ++i)
    table += "t" + std::to_string(i) +
             ",0,echo start $(date +%s%N) >> ../times; sleep 0.2; echo end $(date +%s%N) >> ../times\n";
  write_file(dir.file("todo.csv"), table);
  Outcome o = run({"--max", "3", "--cmd", "{cmd}"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  // From the runs' own timestamps: at no instant were more than 3 running.
  std::vector<std::pair<long long, int>> events;
  for (const auto& line : lines_of(read_file(dir.path() + "/../times"))) {
    std::istringstream in(line);
    std::string kind;
    long long t;
    in >> kind >> t;
    events.emplace_back(t, kind == "start" ? 1 : -1);
  }
  std::filesystem::remove(dir.path() + "/../times");
  ASSERT_EQ(events.size(), 16u);
  std::sort(events.begin(), events.end());  // an end and a start at the same ns: end first
  int running = 0, peak = 0;
  for (auto [t, delta] : events) peak = std::max(peak, running += delta);
  EXPECT_LE(peak, 3);
  EXPECT_GE(peak, 2);  // and they did run in parallel
}

TEST_F(RunTest, RealFailuresAreRetriedThenTheTaskFailsWithoutBlockingOthers) {
  write_file(dir.file("todo.csv"),
             "name,gpus,cmd\n"
             "broken,0,echo attempt >> attempts; echo 'ValueError: bad config' >&2; exit 3\n"
             "fine,0,true\n");
  Outcome o = run({"--retries", "2", "--retry-backoff", "0.05", "--cmd", "{cmd}"});
  EXPECT_EQ(o.exit_code, 1) << o.err;
  EXPECT_EQ(lines_of(read_file(dir.file("attempts"))).size(), 3u);  // 1 + 2 retries
  EXPECT_NE(o.err.find("ValueError: bad config"), std::string::npos) << o.err;
  EXPECT_EQ(csv_column(dir.file("todo.csv"), "run_num"), (std::vector<std::string>{"0", "1"}));
}

TEST_F(RunTest, TimeoutStopsTheRun) {
  write_file(dir.file("todo.csv"), "name,gpus,timeout,cmd\nslow,0,0.3,sleep 30\n");
  auto start = std::chrono::steady_clock::now();
  Outcome o = run({"--retries", "0", "--cmd", "{cmd}"});
  EXPECT_EQ(o.exit_code, 1) << o.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_NE(o.err.find("timeout"), std::string::npos) << o.err;
}

TEST_F(RunTest, InfeasibleTasksAreReportedNotLeftWaiting) {
  write_file(dir.file("todo.csv"),
             "name,gpus,min_mem,cmd\nhuge,1,90000,true\nmany,3,100,true\nok,1,100,true\n");
  Outcome o = run({"--sim-gpus", "2x24000", "--cmd", "{cmd}"});
  EXPECT_EQ(o.exit_code, 1) << o.err;
  EXPECT_NE(o.err.find("huge"), std::string::npos);
  EXPECT_NE(o.err.find("90000 MiB"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("needs 3 GPUs"), std::string::npos) << o.err;
  EXPECT_EQ(csv_column(dir.file("todo.csv"), "run_num"), (std::vector<std::string>{"0", "0", "1"}));
}

TEST_F(RunTest, BadTableStartsNothing) {
  write_file(dir.file("todo.csv"), "name,gpus,cmd\na,-1,touch ran\n");
  Outcome o = run({});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("todo.csv:2:"), std::string::npos) << o.err;
  EXPECT_FALSE(file_exists(dir.file("ran")));
}

}  // namespace
}  // namespace flowline::testing

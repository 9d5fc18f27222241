// `min_mem` that learns (issue 13 item 2) on a simulated GPU: under --min-mem auto the first
// runs of a group ask for the 10,000 MiB default; once one is measured, the others ask for its
// peak plus 10 %, so more of them share the GPU, and none dies of out-of-memory.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "integration/support/process.hpp"
#include "store/sqlite_store.hpp"

namespace flowline::testing {
namespace {

std::vector<StoredRun> stored_runs(const std::string& state) {
  auto store = SqliteStore::open(state);
  EXPECT_TRUE(store.ok()) << store.error().message;
  if (!store.ok()) return {};
  auto runs = (*store)->all_runs();
  EXPECT_TRUE(runs.ok());
  return runs.ok() ? *runs : std::vector<StoredRun>{};
}

// The most runs alive at one moment, from their recorded start and end times.
int most_at_once(const std::vector<StoredRun>& runs) {
  std::vector<std::pair<int64_t, int>> edges;
  for (const StoredRun& r : runs) {
    if (!r.start_ms || !r.end_ms) continue;
    edges.emplace_back(*r.start_ms, +1);
    edges.emplace_back(*r.end_ms, -1);
  }
  std::sort(edges.begin(), edges.end());  // an end before a start at the same millisecond
  int alive = 0, most = 0;
  for (const auto& [at, step] : edges) most = std::max(most, alive += step);
  return most;
}

TEST(LearnedMemory, AutoWithAGroupPacksMoreRunsPerGpuAndCausesNoOutOfMemory) {
  TempDir dir;
  std::string table = "name,model\n";
  for (int i = 0; i < 8; ++i) table += "r" + std::to_string(i) + ",resnet\n";
  write_file(dir.file("todo.csv"), table);
  Outcome o =
      run_flowline({"run", "todo.csv", "--batch", "--sim-gpus", "1x24000", "--max", "8",
                    "--min-mem", "auto", "--mem-group", "model", "--state-dir", dir.file("state"),
                    "--cmd", std::string(FLOWLINE_EXE) + " sim-job --mem 5000 --secs 2.5"},
                   dir.path());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  EXPECT_FALSE(o.timed_out);
  std::vector<StoredRun> runs = stored_runs(dir.file("state"));
  ASSERT_EQ(runs.size(), 8u) << o.err;
  for (const StoredRun& r : runs) {
    EXPECT_EQ(r.state, RunState::kSucceeded) << "run " << r.run_id << ": " << r.message;
    EXPECT_EQ(r.peak_mem_mib, 5000) << "run " << r.run_id;
  }
  // 10,000 MiB each would allow 2 on 24,000; 5,000 + 10 % = 5,500 allows 4.
  EXPECT_EQ(most_at_once(runs), 4) << o.err;
}

// Each task says what it asks for and where that came from: `task --json` and `task`.
TEST(LearnedMemory, TaskShowsTheValueUsedAndWhereItCameFrom) {
  TempDir dir;
  write_file(dir.file("todo.csv"), "name,model\na,resnet\nb,resnet\nc,vit\n");
  const std::string state = dir.file("state");
  int flowline =
      spawn_flowline({"run", "todo.csv", "--batch", "--sim-gpus", "1x24000", "--max", "1",
                      "--min-mem", "auto", "--mem-group", "model", "--state-dir", state, "--cmd",
                      std::string(FLOWLINE_EXE) + " sim-job --mem 5000 --secs 2.5"},
                     dir.path(), "flowline.log");
  auto ctl = [&](const std::string& command, bool json) {
    std::vector<std::string> argv = {"ctl", "--state-dir", state, command};
    if (json) argv.push_back("--json");
    return run_flowline(argv, dir.path());
  };
  nlohmann::json tasks;
  std::string listing;
  // After a's run ends: a learned from its own run, b from its group, c from nothing yet.
  const bool learned = wait_until(
      [&] {
        Outcome o = ctl("task", true);
        if (o.exit_code != 0) return false;
        tasks = nlohmann::json::parse(o.out, nullptr, false);
        if (!tasks.is_array() || tasks.size() != 3 || tasks[0]["min_mem_source"] != "runs")
          return false;
        listing = ctl("task", false).out;
        return true;
      },
      std::chrono::seconds(30));
  ASSERT_TRUE(learned) << tasks.dump() << read_file(dir.file("flowline.log"));
  EXPECT_EQ(tasks[0]["min_mem_used"], 5500) << tasks.dump();
  EXPECT_EQ(tasks[0]["peak_mem_mib"], 5000);
  EXPECT_EQ(tasks[1]["min_mem_source"], "group") << tasks.dump();
  EXPECT_EQ(tasks[1]["mem_group"], "model=resnet");
  EXPECT_EQ(tasks[1]["min_mem_used"], 5500);
  EXPECT_EQ(tasks[2]["min_mem_source"], "global") << tasks.dump();
  EXPECT_EQ(tasks[2]["min_mem_used"], 10000);
  EXPECT_THAT(listing, ::testing::HasSubstr("5000/5500*"));
  EXPECT_THAT(listing, ::testing::HasSubstr("~ from its --mem-group"));
  EXPECT_EQ(wait_for(flowline), 0) << read_file(dir.file("flowline.log"));
}

TEST(LearnedMemory, AnUnknownGroupColumnIsRefusedAtStart) {
  TempDir dir;
  write_file(dir.file("todo.csv"), "name,model\na,resnet\n");
  Outcome o =
      run_flowline({"run", "todo.csv", "--batch", "--sim-gpus", "1x24000", "--min-mem", "auto",
                    "--mem-group", "modle", "--state-dir", dir.file("state"), "--cmd", "true"},
                   dir.path());
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_THAT(o.err, ::testing::HasSubstr("--mem-group: the table has no column 'modle'"));
}

// `auto` in a row works without the global option, and `flowline check` shows it.
TEST(LearnedMemory, AutoInARowIsCheckedAndShown) {
  TempDir dir;
  write_file(dir.file("todo.csv"), "name,min_mem\na,auto\nb,lots\n");
  Outcome bad = run_flowline({"check", "todo.csv"}, dir.path());
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err + bad.out, ::testing::HasSubstr("todo.csv:3:2: column 'min_mem'"));
  write_file(dir.file("todo.csv"), "name,min_mem\na,auto\n");
  Outcome good = run_flowline({"check", "todo.csv", "--json"}, dir.path());
  ASSERT_EQ(good.exit_code, 0) << good.err;
  EXPECT_THAT(good.out, ::testing::HasSubstr("\"min_mem\":\"auto\""));
}

}  // namespace
}  // namespace flowline::testing

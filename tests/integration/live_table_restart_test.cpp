// The table is a live contract (issue 10) across a crash: FlowLine is killed with -9 while its
// runs are in flight (they live on under their supervisors), the user edits the table, and the
// restarted FlowLine re-adopts the runs by the identity of their task (name, cmd, parameters),
// not by the row number they had. A run whose task is gone is recorded and credited to no row,
// and the user is told. Same workload and verdict as live_table_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "integration/support/live_table.hpp"
#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

using live::Batch;
using live::Csv;
using live::evidence;
using live::kNotice;

// Saves like an editor: temp file + rename.
void save_csv(const std::string& path, const Csv& csv) {
  write_file(path + ".tmp", csv.text());
  std::filesystem::rename(path + ".tmp", path);
}

struct LiveTableRestart : ::testing::Test {
  TempDir dir;
  Batch batch{dir, "t.csv"};
  size_t restart_at = 0;  // FlowLine's output before the restart ends here

  // Starts the batch on `table`, waits for `live` runs at the gate, kill -9s FlowLine, applies
  // `change` to the table and starts FlowLine again.
  void crash_edit_restart(const std::string& table, int live,
                          const std::function<void(Csv&)>& change, int max_running = 16) {
    write_file(batch.table(), table);
    batch.start({}, max_running);
    ASSERT_TRUE(batch.wait_started(live)) << evidence(batch);
    batch.kill9();
    Csv csv = live::read_csv(batch.table());
    change(csv);
    save_csv(batch.table(), csv);
    restart_at = batch.output().size();
    int adopted = batch.count_output("adopt");
    batch.start();
    // Let it take its runs back before they end (not required: a run that ended while
    // FlowLine was down must be collected too).
    batch.wait_output("adopt", adopted, kNotice);
  }

  std::string output_since_restart() const { return batch.output().substr(restart_at); }

  void finish_and_judge(const live::VerdictOptions& options = {}) {
    batch.open_gate();
    EXPECT_EQ(batch.finish(), 0) << "the restarted flowline run --batch" << evidence(batch);
    EXPECT_TRUE(live::verdict(live::final_rows_of(live::read_csv(batch.table())), batch.log(),
                              batch.db(), options))
        << evidence(batch);
  }
};

// Control: kill -9 and restart with the table untouched passes on any FlowLine that
// re-adopts correctly. When this fails, the harness is broken, not the live table.
TEST_F(LiveTableRestart, ControlNoEditBetweenKillAndRestart) {
  crash_edit_restart("name,x,gpus,need_run_num\nalpha,1,0,2\nbravo,2,0,1\ncharlie,3,0,1\n", 4,
                     [](Csv&) {});
  finish_and_judge();
}

// A row inserted at the top while FlowLine was down: the re-adopted runs stay with their rows
// (today they were credited to whatever row took their old row number) and the new row runs.
TEST_F(LiveTableRestart, InsertAtTopBetweenKillAndRestart) {
  crash_edit_restart(
      "name,x,gpus,need_run_num\nalpha,1,0,2\nbravo,2,0,1\ncharlie,3,0,1\n", 4, [](Csv& t) {
        t.rows.insert(
            t.rows.begin(),
            t.make_row({{"name", "zulu"}, {"x", "9"}, {"gpus", "0"}, {"need_run_num", "1"}}));
      });
  EXPECT_TRUE(batch.wait_started(5, kNotice))
      << "zulu, inserted while FlowLine was down, never started" << evidence(batch);
  finish_and_judge();
}

TEST_F(LiveTableRestart, ReversedBetweenKillAndRestart) {
  crash_edit_restart(
      "name,x,gpus,need_run_num\nalpha,1,0,2\nbravo,2,0,1\ncharlie,3,0,3\ndelta,4,0,1\n", 7,
      [](Csv& t) { std::reverse(t.rows.begin(), t.rows.end()); });
  finish_and_judge();
}

// The row of a live run deleted while FlowLine was down: its run is collected and recorded,
// credited to no row (today it was credited to the row that took its place), and the user is
// told which run that was.
TEST_F(LiveTableRestart, DeletedRowWhoseRunWasLive) {
  crash_edit_restart(
      "name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,1\ncharlie,3,0,2\ndelta,4,0,1\n", 5,
      [](Csv& t) { t.rows.erase(t.rows.begin() + t.find("bravo")); });
  finish_and_judge();
  std::string bravo_run;
  for (const auto& r : batch.runs())
    if (r.key == live::key_of("bravo", {{"x", "2"}})) bravo_run = r.run_id;
  ASSERT_FALSE(bravo_run.empty()) << evidence(batch);
  EXPECT_EQ(live::count_key(batch.runs(), live::key_of("bravo", {{"x", "2"}}), true), 1)
      << "bravo's run should finish though its row is gone" << evidence(batch);
  // Told: a line after the restart names bravo or its run; none gives that run to a row that
  // is still in the table.
  const std::regex mentions_run("\\brun #?" + bravo_run + "\\b");
  bool told = false;
  std::istringstream out(output_since_restart());
  for (std::string line; std::getline(out, line);) {
    bool about_run = std::regex_search(line, mentions_run);
    told = told || about_run || line.find("bravo") != std::string::npos;
    if (!about_run) continue;
    for (const char* other : {"alpha", "charlie", "delta"})
      EXPECT_EQ(line.find(other), std::string::npos)
          << "run " << bravo_run << " of the deleted row bravo is reported as " << other
          << "'s: " << line << evidence(batch);
  }
  EXPECT_TRUE(told) << "after the restart, nothing told the user about run " << bravo_run
                    << " of bravo, whose row was deleted" << evidence(batch);
}

// Sorted by a column while FlowLine was down, with some runs not started yet.
TEST_F(LiveTableRestart, SortedBetweenKillAndRestart) {
  crash_edit_restart(
      "name,seed,gpus,need_run_num\ns3,3,0,2\ns1,1,0,1\ns4,4,0,1\ns2,2,0,3\n", 3,
      [](Csv& t) {
        int c = t.column("seed");
        std::stable_sort(t.rows.begin(), t.rows.end(), [c](const auto& a, const auto& b) {
          return std::stoi(a[static_cast<size_t>(c)]) < std::stoi(b[static_cast<size_t>(c)]);
        });
      },
      3);
  finish_and_judge();
}

// A row pasted twice while FlowLine was down: the copy is a task of its own and runs.
TEST_F(LiveTableRestart, DuplicatedRowBetweenKillAndRestart) {
  crash_edit_restart("name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,1\n", 2, [](Csv& t) {
    t.rows.insert(t.rows.begin(), t.rows[static_cast<size_t>(t.find("alpha"))]);
  });
  EXPECT_TRUE(batch.wait_started(3, kNotice))
      << "the pasted copy of alpha never started" << evidence(batch);
  finish_and_judge();
}

// A parameter changed while its run was live: the re-adopted run belongs to the old task
// (recorded, credited to no row); the row, now a new task, runs.
TEST_F(LiveTableRestart, EditedParameterBetweenKillAndRestart) {
  crash_edit_restart("name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,1\n", 2,
                     [](Csv& t) { t.set(static_cast<size_t>(t.find("alpha")), "x", "10"); });
  EXPECT_TRUE(batch.wait_started(3, kNotice))
      << "alpha x=10 (a new task) never started" << evidence(batch);
  finish_and_judge();
  EXPECT_EQ(live::count_key(batch.runs(), live::key_of("alpha", {{"x", "1"}}), true), 1)
      << "the run of alpha x=1 should finish" << evidence(batch);
}

// need_run_num raised while FlowLine was down, and the rows sorted by it (a user putting the
// promising settings last): the re-adopted run counts for its row and the rest run.
TEST_F(LiveTableRestart, RaisedNeedRunNumBetweenKillAndRestart) {
  crash_edit_restart("name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,2\n", 3, [](Csv& t) {
    t.set(static_cast<size_t>(t.find("alpha")), "need_run_num", "3");
    std::reverse(t.rows.begin(), t.rows.end());  // sorted by need_run_num: bravo 2, alpha 3
  });
  EXPECT_TRUE(batch.wait_started(5, kNotice))
      << "alpha's two extra runs never started" << evidence(batch);
  finish_and_judge();
}

// need_run_num lowered below the live runs while FlowLine was down: they are re-adopted and
// counted, nothing more starts, and the table (run_num above need_run_num) still loads.
TEST_F(LiveTableRestart, LoweredNeedRunNumBetweenKillAndRestart) {
  crash_edit_restart("name,x,gpus,need_run_num\nalpha,1,0,3\nbravo,2,0,1\n", 4, [](Csv& t) {
    t.set(static_cast<size_t>(t.find("alpha")), "need_run_num", "1");
  });
  live::VerdictOptions options;
  options.expect_runs["alpha"] = 3;  // its three live runs finish and count
  finish_and_judge(options);
  Outcome check = run_flowline({"check", batch.table()});
  EXPECT_EQ(check.exit_code, 0) << "run_num above need_run_num must be legal:\n"
                                << check.out << check.err;
}

// An unreadable table at the restart is refused (file, row, column) and starts nothing; the
// live runs wait under their supervisors, and the restart on the fixed table takes them back.
TEST_F(LiveTableRestart, GarbageThenFixBetweenKillAndRestart) {
  write_file(batch.table(), "name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,1\n");
  batch.start();
  ASSERT_TRUE(batch.wait_started(2)) << evidence(batch);
  batch.kill9();
  write_file(batch.table(), "name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,lots,1\n");
  batch.start();
  EXPECT_EQ(batch.finish(), 2) << "a restart on an unreadable table" << evidence(batch);
  EXPECT_NE(batch.output().find("t.csv:3"), std::string::npos)
      << "the refusal should name the file and row of the bad cell" << evidence(batch);
  EXPECT_EQ(batch.started(), 2) << "a run started on an unreadable table" << evidence(batch);
  // The fix also adds a row at the top.
  write_file(batch.table(), "name,x,gpus,need_run_num\ncharlie,3,0,1\nalpha,1,0,1\nbravo,2,0,1\n");
  int adopted = batch.count_output("adopt");
  batch.start();
  batch.wait_output("adopt", adopted, kNotice);
  EXPECT_TRUE(batch.wait_started(3, kNotice)) << "charlie never started" << evidence(batch);
  finish_and_judge();
}

// The crash test (crash_test.cpp: kill -9 ten times during a 50-task run) with the table
// edited between the restarts: rows inserted at the top, rows deleted (preferably one whose
// run is live), the rows reversed and shuffled. Same verdict: every row of the final table
// ran exactly need_run_num times with its own parameters, no run started twice, the file and
// the database agree, and no run outlives FlowLine.
TEST(LiveTableCrash, KillMinus9TenTimesWithTableEditsBetweenRestarts) {
  TempDir dir;
  Batch batch(dir, "t.csv");
  std::string table = "name,x,sleep,gpus,need_run_num\n";
  for (int i = 0; i < 50; ++i)
    table += "t" + std::to_string(i) + "," + std::to_string(i) + ",0.0" +
             std::to_string(5 + i % 5) + ",0," + std::to_string(1 + i % 2) + "\n";
  write_file(batch.table(), table);
  batch.open_gate();  // runs do not wait: they take 50-90 ms
  std::mt19937 random(20261203);
  std::map<std::string, int64_t> removed;  // key of a deleted row -> its need_run_num
  std::string edits;
  for (int round = 0; round < 10; ++round) {
    int before = batch.started();
    batch.start({}, 6);
    wait_until([&] { return batch.started() > before || !batch.alive(); });
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 120)(random)));
    batch.kill9();
    Csv t = live::read_csv(batch.table());
    if (round % 3 == 0) {
      std::string name = "n" + std::to_string(round);
      t.rows.insert(t.rows.begin(), t.make_row({{"name", name},
                                                {"x", std::to_string(100 + round)},
                                                {"sleep", "0.05"},
                                                {"gpus", "0"},
                                                {"need_run_num", std::to_string(1 + round % 2)}}));
      edits += "round " + std::to_string(round) + ": inserted " + name + " at the top\n";
    } else if (round % 3 == 1) {
      // A row whose run is live now, if there is one.
      std::set<std::string> live_keys;
      for (const auto& r : batch.runs())
        if (!r.done) live_keys.insert(r.key);
      std::vector<live::FinalRow> rows = live::final_rows_of(t);
      size_t victim = std::uniform_int_distribution<size_t>(0, t.rows.size() - 1)(random);
      for (const auto& r : rows)
        if (live_keys.count(live::key_of(r))) victim = r.index;
      removed[live::key_of(rows[victim])] = rows[victim].need_run_num;
      edits += "round " + std::to_string(round) + ": deleted " + rows[victim].name +
               (live_keys.count(live::key_of(rows[victim])) ? " (its run was live)\n" : "\n");
      t.rows.erase(t.rows.begin() + static_cast<long>(victim));
    } else if (round == 2) {
      std::reverse(t.rows.begin(), t.rows.end());
      edits += "round 2: reversed the rows\n";
    } else {
      std::shuffle(t.rows.begin(), t.rows.end(), random);
      edits += "round " + std::to_string(round) + ": shuffled the rows\n";
    }
    save_csv(batch.table(), t);
  }
  EXPECT_GT(batch.started(), 0);
  batch.start({}, 6);
  ASSERT_EQ(batch.finish(std::chrono::milliseconds(60000)), 0) << edits << evidence(batch);

  EXPECT_TRUE(
      live::verdict(live::final_rows_of(live::read_csv(batch.table())), batch.log(), batch.db()))
      << edits << evidence(batch);
  const auto runs = batch.runs();
  for (const auto& [key, need] : removed)
    EXPECT_LE(live::count_key(runs, key, false), need)
        << key << " (deleted) started more runs than its row asked for\n"
        << edits << evidence(batch);
  EXPECT_NE(batch.output().find("adopt"), std::string::npos)
      << "no restart found a run of an earlier FlowLine to re-adopt" << evidence(batch);
  EXPECT_TRUE(processes_with(batch.log()).empty()) << "a run outlived FlowLine's end";
}

}  // namespace
}  // namespace flowline::testing

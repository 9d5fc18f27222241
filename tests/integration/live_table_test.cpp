// The table is a live contract (issue 10), during one `flowline run --batch`: every edit a
// user makes while runs are in flight is noticed and applied, and runs follow the experiment a
// row describes (name, cmd, parameters), not its position.
//
// Each test starts a batch whose runs record their parameters and wait at a gate
// (support/record_run.sh), edits the table the way a user or an editor would while they wait,
// opens the gate, and judges the outcome (support/live_table.hpp): every row of the final table
// has exactly need_run_num finished runs of its own parameters, nothing ran twice, and run_num
// in the file agrees with the runs and with the database. Needs no GPU (gpus 0).
#include "integration/support/live_table.hpp"

#include <gtest/gtest.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

using live::Batch;
using live::Csv;
using live::evidence;
using live::kNotice;
using live::kTableChanged;
using live::sh;

// The ways editors and tools save a file.
enum class Save { kInPlace, kTempRename, kSedI, kCpOver };

const char* save_name(Save s) {
  switch (s) {
    case Save::kInPlace:
      return "in-place write";
    case Save::kTempRename:
      return "temp file + rename";
    case Save::kSedI:
      return "sed -i";
    case Save::kCpOver:
      return "cp over it";
  }
  return "?";
}

// Replaces `path` with `text` the way `how` does. kSedI rewrites the file with a sed script
// that prints `text` (sed -i writes a temp file beside it and renames it over).
void save(const std::string& path, const std::string& text, Save how) {
  switch (how) {
    case Save::kInPlace: {  // truncate, then write, on the same inode
      FILE* f = fopen(path.c_str(), "r+");
      ASSERT_NE(f, nullptr) << path;
      ASSERT_EQ(ftruncate(fileno(f), 0), 0);
      fwrite(text.data(), 1, text.size(), f);
      fclose(f);
      break;
    }
    case Save::kTempRename: {
      write_file(path + ".tmp", text);
      std::filesystem::rename(path + ".tmp", path);
      break;
    }
    case Save::kSedI: {
      // Delete every line, then append the new text after the last one (`$r FILE`).
      write_file(path + ".new-lines", text);
      sh("sed -i -e '$r " + path + ".new-lines' -e 'd' " + path);
      std::filesystem::remove(path + ".new-lines");
      break;
    }
    case Save::kCpOver: {
      write_file(path + ".copy", text);
      sh("cp " + path + ".copy " + path);
      break;
    }
  }
}

struct LiveTable : ::testing::Test {
  TempDir dir;
  Batch batch{dir, "t.csv"};

  void write_table(const std::string& text) { write_file(batch.table(), text); }

  // Reads the table as it is now, changes it, and saves it `how`.
  void edit(const std::function<void(Csv&)>& change, Save how = Save::kTempRename) {
    Csv csv = live::read_csv(batch.table());
    change(csv);
    save(batch.table(), csv.text(), how);
  }

  // Waits until FlowLine says it applied an edit made after `before` such lines.
  void expect_noticed(int before, const std::string& what) {
    EXPECT_TRUE(batch.wait_output(kTableChanged, before, kNotice))
        << "FlowLine did not report '" << kTableChanged << "' within " << kNotice.count()
        << " ms of: " << what << evidence(batch);
  }

  void expect_started(int n, const std::string& what) {
    EXPECT_TRUE(batch.wait_started(n, kNotice))
        << "expected " << n << " runs started after " << what << ", got " << batch.started()
        << evidence(batch);
  }

  // Opens the gate, waits for the batch's end and judges the final table.
  void finish_and_judge(const live::VerdictOptions& options = {}) {
    batch.open_gate();
    int status = batch.finish();
    EXPECT_EQ(status, 0) << "flowline run --batch exit status" << evidence(batch);
    EXPECT_TRUE(live::verdict(live::final_rows_of(live::read_csv(batch.table())), batch.log(),
                              batch.db(), options))
        << evidence(batch);
  }
};

void reverse_rows(Csv& t) { std::reverse(t.rows.begin(), t.rows.end()); }

// Control: the same workload, gate and verdict with no edit pass on any FlowLine that runs a
// table correctly. When this fails, the harness is broken, not the live table.
TEST_F(LiveTable, ControlUneditedTablePasses) {
  write_table("name,x,gpus,need_run_num\nalpha,1,0,2\nbravo,2,0,1\nalpha,1,0,1\n");
  batch.start();
  ASSERT_TRUE(batch.wait_started(4)) << evidence(batch);
  finish_and_judge();
}

// A row inserted at the top runs, and every run stays with the row it ran for (today the new
// row was credited with the first row's run and the last row's run was lost).
TEST_F(LiveTable, InsertAtTopRunsTheNewRowAndKeepsEveryRunWithItsRow) {
  write_table("name,x,gpus,need_run_num\nalpha,1,0,2\nbravo,2,0,1\ncharlie,3,0,1\n");
  batch.start();
  ASSERT_TRUE(batch.wait_started(4)) << evidence(batch);
  int before = batch.count_output(kTableChanged);
  edit([](Csv& t) {
    t.rows.insert(t.rows.begin(),
                  t.make_row({{"name", "zulu"}, {"x", "9"}, {"gpus", "0"}, {"need_run_num", "1"}}));
  });
  expect_noticed(before, "a row inserted at the top");
  expect_started(5, "inserting zulu");
  finish_and_judge();
}

// A deleted row whose run is in flight: the run finishes and is recorded, credited to no row.
// A deleted row that had not started never starts.
TEST_F(LiveTable, DeletedRowsAreDroppedAndTheirLiveRunIsCreditedToNoRow) {
  write_table("name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,1\ncharlie,3,0,2\ndelta,4,0,1\n");
  batch.start({}, 4);  // alpha, bravo, charlie twice; delta waits for a slot
  ASSERT_TRUE(batch.wait_started(4)) << evidence(batch);
  int before = batch.count_output(kTableChanged);
  edit([](Csv& t) {
    t.rows.erase(t.rows.begin() + t.find("delta"));
    t.rows.erase(t.rows.begin() + t.find("bravo"));
  });
  expect_noticed(before, "deleting bravo (running) and delta (queued)");
  finish_and_judge();
  EXPECT_EQ(live::count_key(batch.runs(), live::key_of("delta", {{"x", "4"}}), false), 0)
      << "delta was deleted before it started, yet it ran" << evidence(batch);
  EXPECT_EQ(live::count_key(batch.runs(), live::key_of("bravo", {{"x", "2"}}), true), 1)
      << "bravo's run, in flight when its row was deleted, should still finish" << evidence(batch);
  EXPECT_EQ(read_file(batch.table()).find("bravo"), std::string::npos)
      << "a deleted row came back" << evidence(batch);
}

// Reversed while every run is in flight, with no wait for FlowLine to notice: write-back finds
// each row where it is now.
TEST_F(LiveTable, ReversedRowsKeepTheirRuns) {
  write_table("name,x,gpus,need_run_num\nalpha,1,0,2\nbravo,2,0,1\ncharlie,3,0,3\ndelta,4,0,1\n");
  batch.start();
  ASSERT_TRUE(batch.wait_started(7)) << evidence(batch);
  edit(reverse_rows);
  finish_and_judge();
}

// Rows without a name are known by their parameters: their default name (Task:<row>) is a
// label that moves with the row, so reversing them moves no run.
TEST_F(LiveTable, UnnamedRowsKeepTheirRunsWhenMoved) {
  write_table("x,gpus,need_run_num\n1,0,2\n2,0,1\n3,0,3\n");
  batch.without_name();
  batch.start();
  ASSERT_TRUE(batch.wait_started(6)) << evidence(batch);
  int before = batch.count_output(kTableChanged);
  edit([](Csv& t) {
    reverse_rows(t);
    t.rows.insert(t.rows.begin(), t.make_row({{"x", "9"}, {"gpus", "0"}, {"need_run_num", "1"}}));
  });
  expect_noticed(before, "unnamed rows reversed and one inserted at the top");
  expect_started(7, "inserting the row x=9");
  finish_and_judge();
}

// Sorted by a column while some runs wait for a slot: the waiting ones run for their own rows.
TEST_F(LiveTable, SortedByAColumnEveryRowGetsItsOwnRuns) {
  write_table("name,seed,gpus,need_run_num\ns3,3,0,2\ns1,1,0,1\ns4,4,0,1\ns2,2,0,3\n");
  batch.start({}, 3);  // s3 twice and s1 run; s4 and s2 wait
  ASSERT_TRUE(batch.wait_started(3)) << evidence(batch);
  edit([](Csv& t) {
    int c = t.column("seed");
    std::stable_sort(t.rows.begin(), t.rows.end(), [c](const auto& a, const auto& b) {
      return std::stoi(a[static_cast<size_t>(c)]) < std::stoi(b[static_cast<size_t>(c)]);
    });
  });
  finish_and_judge();
}

// Identical rows are two tasks, told apart by their order: both run, and a pasted copy of a
// row runs too.
TEST_F(LiveTable, DuplicateRowsAllRun) {
  write_table("name,x,gpus,need_run_num\nalpha,1,0,1\nalpha,1,0,1\nbravo,2,0,1\n");
  batch.start();
  ASSERT_TRUE(batch.wait_started(3)) << evidence(batch);
  int before = batch.count_output(kTableChanged);
  edit([](Csv& t) { t.rows.insert(t.rows.begin(), t.rows[static_cast<size_t>(t.find("bravo"))]); });
  expect_noticed(before, "a copy of bravo pasted at the top");
  expect_started(4, "pasting a copy of bravo");
  finish_and_judge();
}

// A changed parameter makes a new task; the old one's run finishes, is recorded, and is
// credited to no row.
TEST_F(LiveTable, EditedParameterIsANewTask) {
  write_table("name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,1\n");
  batch.start();
  ASSERT_TRUE(batch.wait_started(2)) << evidence(batch);
  int before = batch.count_output(kTableChanged);
  edit([](Csv& t) { t.set(static_cast<size_t>(t.find("alpha")), "x", "10"); });
  expect_noticed(before, "alpha's x changed from 1 to 10");
  expect_started(3, "changing alpha's x (alpha x=10 is a new task)");
  finish_and_judge();
  EXPECT_EQ(live::count_key(batch.runs(), live::key_of("alpha", {{"x", "1"}}), true), 1)
      << "the run of alpha x=1, in flight when x changed, should finish" << evidence(batch);
}

// need_run_num lowered below the runs that will have finished: no more runs start, the table
// stays loadable with run_num above need_run_num, and a later run starts nothing.
TEST_F(LiveTable, LoweredNeedRunNumBelowRunsDoneIsDoneAndTheTableStillLoads) {
  write_table("name,x,gpus,need_run_num,priority\nalpha,1,0,3,1\nbravo,2,0,1,0\n");
  batch.start({}, 2);  // alpha runs twice (priority); its third run and bravo wait for a slot
  ASSERT_TRUE(batch.wait_started(2)) << evidence(batch);
  int before = batch.count_output(kTableChanged);
  edit([](Csv& t) { t.set(static_cast<size_t>(t.find("alpha")), "need_run_num", "1"); });
  expect_noticed(before, "alpha's need_run_num lowered from 3 to 1");
  live::VerdictOptions options;
  options.expect_runs["alpha"] = 2;  // both runs in flight finish and count
  finish_and_judge(options);
  Outcome check = run_flowline({"check", batch.table()});
  EXPECT_EQ(check.exit_code, 0) << "run_num above need_run_num must be legal:\n"
                                << check.out << check.err;
  int runs_before = batch.started();
  batch.start();
  EXPECT_EQ(batch.finish(), 0) << "a second batch on the finished table" << evidence(batch);
  EXPECT_EQ(batch.started(), runs_before)
      << "a second batch on a finished table started runs" << evidence(batch);
}

// need_run_num raised during the batch: the extra runs happen in the same batch.
TEST_F(LiveTable, RaisedNeedRunNumRunsMore) {
  write_table("name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,1\n");
  batch.start();
  ASSERT_TRUE(batch.wait_started(2)) << evidence(batch);
  int before = batch.count_output(kTableChanged);
  edit([](Csv& t) { t.set(static_cast<size_t>(t.find("alpha")), "need_run_num", "3"); });
  expect_noticed(before, "alpha's need_run_num raised from 1 to 3");
  expect_started(4, "raising alpha's need_run_num to 3");
  finish_and_judge();
}

// A save that cannot be read keeps the last good version in force, is reported once with its
// file, row and column, and the next good save applies.
TEST_F(LiveTable, GarbageSavedThenFixedKeepsTheLastGoodVersionAndReportsOnce) {
  write_table("name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,1\n");
  batch.start();
  ASSERT_TRUE(batch.wait_started(2)) << evidence(batch);
  // Row 3 of the file (bravo) has a bad gpus cell.
  save(batch.table(), "name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,lots,1\n", Save::kTempRename);
  const std::string where = "t.csv:3";
  EXPECT_TRUE(batch.wait_output(where, 0, kNotice))
      << "no report naming " << where << " (the bad cell) within " << kNotice.count() << " ms"
      << evidence(batch);
  // Not reported again while the file stays as it is (this wait is expected to time out).
  EXPECT_FALSE(batch.wait_output(where, 1, std::chrono::milliseconds(1500)))
      << "the unreadable table was reported more than once" << evidence(batch);
  EXPECT_TRUE(batch.alive()) << "FlowLine stopped on an unreadable save" << evidence(batch);
  EXPECT_EQ(batch.started(), 2) << "runs started or restarted on an unreadable table"
                                << evidence(batch);
  int before = batch.count_output(kTableChanged);
  save(batch.table(), "name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,1\ncharlie,3,0,1\n",
       Save::kTempRename);
  expect_noticed(before, "the fixed table (with charlie added)");
  expect_started(3, "the fix added charlie");
  finish_and_judge();
  EXPECT_EQ(batch.count_output(where), 1)
      << "the unreadable table should be reported once" << evidence(batch);
}

// An editor that truncates the file before writing it: the empty file in between cannot be
// read (it is not a table without rows), so no task is dropped, and the full save applies.
TEST_F(LiveTable, HalfSavedEmptyFileKeepsTheLastGoodVersion) {
  write_table("name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,2\n");
  batch.start();
  ASSERT_TRUE(batch.wait_started(3)) << evidence(batch);
  int named = batch.count_output("t.csv");
  write_file(batch.table(), "");  // truncated; the rest comes later
  EXPECT_TRUE(batch.wait_output("t.csv", named, kNotice))
      << "FlowLine did not report that the (empty) table cannot be read" << evidence(batch);
  int before = batch.count_output(kTableChanged);
  write_file(batch.table(), "name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,2\ncharlie,3,0,1\n");
  expect_noticed(before, "the complete save (with charlie added)");
  expect_started(4, "the complete save added charlie");
  finish_and_judge();
}

// Every way a file gets saved is noticed: a row appended by each of them runs.
struct LiveTableSave : LiveTable, ::testing::WithParamInterface<Save> {};

TEST_P(LiveTableSave, AppendedRowRuns) {
  write_table("name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,1\n");
  batch.start();
  ASSERT_TRUE(batch.wait_started(2)) << evidence(batch);
  int before = batch.count_output(kTableChanged);
  edit(
      [](Csv& t) {
        t.rows.push_back(
            t.make_row({{"name", "charlie"}, {"x", "3"}, {"gpus", "0"}, {"need_run_num", "1"}}));
      },
      GetParam());
  expect_noticed(before, std::string("a row appended, saved by ") + save_name(GetParam()));
  expect_started(3, std::string("appending charlie by ") + save_name(GetParam()));
  finish_and_judge();
}

INSTANTIATE_TEST_SUITE_P(LiveTableSavePatterns, LiveTableSave,
                         ::testing::Values(Save::kInPlace, Save::kTempRename, Save::kSedI,
                                           Save::kCpOver),
                         [](const ::testing::TestParamInfo<Save>& info) {
                           switch (info.param) {
                             case Save::kInPlace:
                               return std::string("InPlace");
                             case Save::kTempRename:
                               return std::string("TempRename");
                             case Save::kSedI:
                               return std::string("SedI");
                             case Save::kCpOver:
                               return std::string("CpOver");
                           }
                           return std::string("Unknown");
                         });

// One after another in one batch: a watch that followed the old file after a rename, or lost
// the file when it was replaced, misses the later saves.
TEST_F(LiveTable, EverySaveOfASequenceIsNoticed) {
  write_table("name,x,gpus,need_run_num\nr0,0,0,1\n");
  batch.start();
  ASSERT_TRUE(batch.wait_started(1)) << evidence(batch);
  int rows = 1;
  for (Save how :
       {Save::kTempRename, Save::kInPlace, Save::kSedI, Save::kCpOver, Save::kTempRename}) {
    int before = batch.count_output(kTableChanged);
    std::string name = "r" + std::to_string(rows);
    std::string x = std::to_string(rows);
    edit(
        [&](Csv& t) {
          t.rows.push_back(
              t.make_row({{"name", name}, {"x", x}, {"gpus", "0"}, {"need_run_num", "1"}}));
        },
        how);
    ++rows;
    expect_noticed(before, "appending " + name + " by " + save_name(how));
    expect_started(rows, "appending " + name + " by " + save_name(how));
    if (HasFailure()) break;  // the later saves would only wait out their timeouts too
  }
  finish_and_judge();
}

// LibreOffice saves an .xlsx with a row inserted at the top and the rows reversed (it writes a
// new file and renames it over the old one).
TEST(LiveTableXlsx, ResavedByLibreOfficeIsApplied) {
  if (!live::have_program("soffice")) GTEST_SKIP() << "LibreOffice (soffice) is not installed";
  TempDir dir;
  Batch xlsx(dir, "t.xlsx");
  const std::string profile = "-env:UserInstallation=file://" + dir.file("soffice-profile");
  auto soffice_to_xlsx = [&](const std::string& csv) {
    return sh("soffice " + profile + " --headless --convert-to xlsx --outdir " + dir.path() + " " +
              csv + " >/dev/null 2>&1");
  };
  std::filesystem::create_directories(dir.file("v1"));
  std::filesystem::create_directories(dir.file("v2"));
  write_file(dir.file("v1/t.csv"),
             "name,x,gpus,need_run_num\nalpha,1,0,2\nbravo,2,0,1\ncharlie,3,0,1\n");
  ASSERT_EQ(soffice_to_xlsx(dir.file("v1/t.csv")), 0);
  ASSERT_TRUE(file_exists(xlsx.table()));
  xlsx.start();
  ASSERT_TRUE(xlsx.wait_started(4)) << evidence(xlsx);
  int before = xlsx.count_output(kTableChanged);
  write_file(dir.file("v2/t.csv"),
             "name,x,gpus,need_run_num\nzulu,9,0,1\ncharlie,3,0,1\nbravo,2,0,1\nalpha,1,0,2\n");
  ASSERT_EQ(soffice_to_xlsx(dir.file("v2/t.csv")), 0);
  EXPECT_TRUE(xlsx.wait_output(kTableChanged, before, kNotice))
      << "FlowLine did not report the LibreOffice save" << evidence(xlsx);
  EXPECT_TRUE(xlsx.wait_started(5, kNotice))
      << "zulu, added by LibreOffice, never started" << evidence(xlsx);
  xlsx.open_gate();
  EXPECT_EQ(xlsx.finish(), 0) << evidence(xlsx);
  EXPECT_TRUE(live::verdict(live::final_rows_by_check(xlsx.table()), xlsx.log(), xlsx.db()))
      << evidence(xlsx);
}

// Two tables in one directory, each run with the default state and log directories, at the
// same time: each has its own .flowline/<table>/ and log/<table>/, and neither takes the
// other's runs.
TEST(LiveTableHome, TwoTablesInOneDirectoryKeepTheirOwnStateAndLogs) {
  TempDir dir;
  Batch first(dir, "first.csv", /*default_dirs=*/true);
  Batch second(dir, "second.csv", /*default_dirs=*/true);
  write_file(first.table(), "name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,2\n");
  write_file(second.table(), "name,y,gpus,need_run_num\ncharlie,3,0,1\ndelta,4,0,1\n");
  first.start();
  ASSERT_TRUE(first.wait_started(3)) << evidence(first);
  second.start();
  EXPECT_TRUE(second.wait_started(2, kNotice))
      << "the second table's FlowLine did not start its runs" << evidence(second);
  first.open_gate();
  EXPECT_EQ(first.finish(), 0) << evidence(first);
  EXPECT_EQ(second.finish(), 0) << evidence(second);
  for (Batch* b : {&first, &second}) {
    EXPECT_TRUE(file_exists(b->db())) << "no database at " << b->db() << evidence(*b);
    EXPECT_TRUE(std::filesystem::is_directory(b->log_dir()))
        << "no log directory " << b->log_dir() << evidence(*b);
    EXPECT_TRUE(live::verdict(live::final_rows_of(live::read_csv(b->table())), b->log(), b->db()))
        << evidence(*b);
  }
}

}  // namespace
}  // namespace flowline::testing

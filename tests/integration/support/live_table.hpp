#pragma once
// Support for the live-table tests (issue 10): a flowline batch on a table whose runs are the
// workload tests/integration/support/record_run.sh, a simple CSV model to edit the table the
// way a user would, and the verdict.
//
// The workload records every run it starts with the parameters it was given (`--name N` and
// FlowLine's {args}), waits at a gate file the test opens, and records that it finished. The
// verdict then holds FlowLine to the contract: every row of the final table has exactly
// need_run_num finished runs of its *own* parameters, no parameter set started more runs than
// finished (none ran twice), the file's run_num agrees with those runs and with the database.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "integration/support/process.hpp"

namespace flowline::testing::live {

// ---- The table as a user edits it: CSV without quoting (the tests' values need none). ----
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  // Column index, or -1.
  int column(const std::string& name) const;
  // Cell of row `row` in column `name`; "" when the column is missing or the row is short.
  std::string get(size_t row, const std::string& name) const;
  // Sets a cell, adding the column at the end when the table lacks it.
  void set(size_t row, const std::string& name, const std::string& value);
  // A row from column=value pairs (blank for the table's other columns), ready to insert.
  std::vector<std::string> make_row(const std::map<std::string, std::string>& cells) const;
  // Index of the first row named `name`, or -1.
  int find(const std::string& name) const;
  std::string text() const;
};
Csv parse_csv(const std::string& text);
Csv read_csv(const std::string& path);

// ---- The verdict. ----
// A row of the final table: its name, parameters (every non-blank non-reserved column) and
// bookkeeping.
struct FinalRow {
  size_t index = 0;  // 0-based among data rows
  std::string name;
  std::map<std::string, std::string> params;
  std::string run_num;  // the cell's text ("" = blank)
  int64_t need_run_num = 1;
};
bool is_reserved_column(const std::string& column);
// "name=a x=1": the key the verdict groups runs by (name, then parameters by column name).
std::string key_of(const std::string& name, const std::map<std::string, std::string>& params);
std::string key_of(const FinalRow& row);
std::vector<FinalRow> final_rows_of(const Csv& csv);
// Through `flowline check TABLE --json` (for XLSX). Empty and a test failure when it refuses.
std::vector<FinalRow> final_rows_by_check(const std::string& table);

// One run as the workload recorded it.
struct WorkloadRun {
  std::string run_id;    // FLOWLINE_RUN_ID
  std::string task_id;   // FLOWLINE_TASK_ID
  std::string key;       // key_of(--name, other --key value pairs)
  bool done = false;     // wrote its "done" line
  bool gave_up = false;  // its gate never opened
};
std::vector<WorkloadRun> read_workload(const std::string& log);
int count_key(const std::vector<WorkloadRun>& runs, const std::string& key, bool done_only);

struct DbTask {
  std::string name;
  int64_t run_num = 0;
};
// `tasks` (name, run_num) and `runs` (run_id -> state) of STATE_DIR/flowline.db, read-only.
struct DbView {
  bool opened = false;
  std::string error;
  std::vector<DbTask> tasks;
  std::map<std::string, std::string> run_state;  // run_id -> state
};
DbView read_db(const std::string& db_path);

struct VerdictOptions {
  // Runs a row must have when it is not need_run_num (need_run_num lowered below runs done),
  // by the row's name.
  std::map<std::string, int64_t> expect_runs;
  bool check_db = true;
};

// Every final row has exactly its expected runs of its own parameters, finished; no
// parameter set of the final table started a run that did not finish; run_num in the file
// equals those runs and the database's run_num for the row's name (rows with a blank name are
// not matched: the database holds their default name); every finished run of the
// workload is recorded as succeeded in the database. Failure text names row, parameters,
// expected and actual.
::testing::AssertionResult verdict(const std::vector<FinalRow>& rows,
                                   const std::string& workload_log, const std::string& db_path,
                                   const VerdictOptions& options = {});

// ---- Shell commands. ----
// Runs `command` with /bin/sh (30 s at most); a test failure, with its stderr, when it exits
// with other than 0. Its exit status.
int sh(const std::string& command);
// Whether `program` is on PATH (LibreOffice's soffice may not be installed).
bool have_program(const std::string& program);

// ---- One `flowline run TABLE --batch` with the workload as its command. ----
std::string record_script();  // path of record_run.sh in the source tree

class Batch {
 public:
  // `dir`: the test's temp dir; the table is dir/table_name. FlowLine runs in `dir` with
  // --state-dir dir/state and --log-dir dir/logs, or, with `default_dirs`, neither (its
  // defaults: .flowline/<table file name> and log/<table file name>). The workload log and
  // FlowLine's output are named after the table, so two tables can share `dir`.
  Batch(const TempDir& dir, std::string table_name, bool default_dirs = false);
  ~Batch();  // opens the gate and kills a FlowLine still running, so nothing outlives a test
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  const std::string& table() const { return table_; }
  const std::string& log() const { return log_; }
  const std::string& gate() const { return gate_; }
  const std::string& state_dir() const { return state_dir_; }
  const std::string& log_dir() const { return log_dir_; }
  std::string db() const { return state_dir_ + "/flowline.db"; }
  std::string output() const;  // FlowLine's stdout + stderr so far (every instance)

  // The run arguments: table, --batch, --cmd (the workload), --max, --state-dir, --log-dir,
  // then `extra`.
  std::vector<std::string> args(const std::vector<std::string>& extra = {}) const;
  void start(const std::vector<std::string>& extra = {}, int max_running = 16);
  // Leave `--name {name}` out of the command, for rows without a name (their default name,
  // Task:<row>, is a label that moves with the row, not part of the task).
  void without_name() { with_name_ = false; }
  // Start FlowLine through `prefix` (e.g. setpriv as another user): prefix..., flowline, args.
  void run_as(std::vector<std::string> prefix) { prefix_ = std::move(prefix); }
  // `flowline ctl ARGS` run in the table's directory: with --state-dir, or, with the default
  // directories, with no option (it finds the instance running there by itself).
  Outcome ctl(const std::vector<std::string>& args) const;
  // Whether the FlowLine started last is still running (reaps it when it has ended).
  bool alive();
  // Waits for FlowLine's exit; its exit status, -signal, or -1000 (and killed) past `limit`.
  int finish(std::chrono::milliseconds limit = std::chrono::milliseconds(40000));
  void kill9();  // kill -9 FlowLine (not its runs) and reap it

  void open_gate() const;
  void release(const std::string& run_id) const;  // lets one run finish

  std::vector<WorkloadRun> runs() const { return read_workload(log_); }
  int started() const;
  int finished() const;
  bool wait_started(int n,
                    std::chrono::milliseconds limit = std::chrono::milliseconds(20000)) const;
  bool wait_finished(int n,
                     std::chrono::milliseconds limit = std::chrono::milliseconds(20000)) const;
  // Lines of output containing `needle`.
  int count_output(const std::string& needle) const;
  // Waits until more than `before` output lines contain `needle`.
  bool wait_output(const std::string& needle, int before,
                   std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) const;

 private:
  std::string dir_, table_name_, table_, log_, gate_, state_dir_, log_dir_, out_;
  bool default_dirs_ = false;
  bool with_name_ = true;
  std::vector<std::string> prefix_;
  int pid_ = -1;
  std::optional<int> exit_status_;
};

// How long FlowLine may take to notice an edit (the contract says a second; slack for a
// sanitizer build on a busy 2-core machine).
inline constexpr std::chrono::milliseconds kNotice{5000};
// What FlowLine says when it applies an edit ("table changed: 2 tasks added, 1 removed").
inline constexpr const char* kTableChanged = "table changed";

// The final table (CSV and JSON), the workload log and FlowLine's output, for failure messages.
std::string evidence(const Batch& batch);

}  // namespace flowline::testing::live

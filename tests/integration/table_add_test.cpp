// Adding tasks from FlowLine (issue 10, docs/tables.md "The table is a live contract"), through
// the real `flowline run --batch` and `flowline ctl`: `add column=value …` and
// `copy <task> [column=value …]` append a row to the table file in its own format (CSV, JSON,
// XLSX) and queue it; the new tasks run once each with their own parameters, and the final file,
// read back by tools that are not FlowLine (python's csv and json, openpyxl, LibreOffice), holds
// the new rows with run_num 1 and every original cell as it was. A refused `add`/`copy` leaves
// the file byte for byte as it was; results that cannot reach the file make the batch say so and
// exit 1; `reload` applies a save at once.
//
// Runs are held at a gate (support/record_run.sh) so that the instance stays up while ctl talks
// to it; gpus 0, so no GPU is needed. FLOWLINE_TEST_EXE=<path> runs these tests against another
// flowline binary (e.g. a build of an older commit).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "integration/support/live_table.hpp"
#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

using live::Batch;
using live::evidence;
using live::kNotice;
using ::testing::HasSubstr;

using Cells = std::map<std::string, std::string>;

// ---- The table as tools other than FlowLine read it ----

// Every row of a table (the first sheet of an XLSX) by column, as python reads it: csv.reader,
// json.load, openpyxl. A blank or missing cell is "", a whole number is written without ".0";
// `types` holds python's type of each value (JSON and XLSX keep numbers as numbers);
// `other_sheets` the other sheets of an XLSX, every value as python's repr.
constexpr const char* kReadTable = R"PY(
import sys, json, csv
path = sys.argv[1]
def text(v):
    if v is None: return ""
    if isinstance(v, bool): return "true" if v else "false"
    if isinstance(v, float) and v.is_integer(): return str(int(v))
    return str(v)
columns, rows, others = [], [], {}
if path.endswith(".csv"):
    with open(path, newline="", encoding="utf-8") as f:
        lines = [r for r in csv.reader(f)]
    columns = lines[0]
    rows = [dict(zip(columns, r)) for r in lines[1:] if any(r)]
elif path.endswith(".json"):
    with open(path, encoding="utf-8") as f:
        rows = json.load(f)
    for obj in rows:
        columns += [k for k in obj if k not in columns]
else:
    import openpyxl
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    others = {s.title: [[repr(c) for c in r] for r in s.iter_rows(values_only=True)]
              for s in book.worksheets[1:]}
    columns = [text(c) for c in values[0]]
    rows = [dict(zip(columns, r)) for r in values[1:] if any(c is not None for c in r)]
print(json.dumps({"columns": columns,
                  "rows": [{c: text(r.get(c)) for c in columns} for r in rows],
                  "types": [{c: type(r.get(c)).__name__ for c in columns} for r in rows],
                  "other_sheets": others}))
)PY";

struct ToolView {
  std::string tool;  // what read it, for messages
  bool ok = false;
  std::vector<std::string> columns;
  std::vector<Cells> rows;
  std::vector<Cells> types;
  std::string other_sheets;  // JSON text
};

std::string show(const Cells& row) {
  std::string out;
  for (const auto& [k, v] : row) out += (out.empty() ? "" : " ") + k + "=" + v;
  return "{" + out + "}";
}

ToolView read_with_python(const std::string& path, const std::string& tool) {
  ToolView view;
  view.tool = tool + " reading " + path;
  Outcome o = run_program(RunArgs{{"/usr/bin/python3", "-c", kReadTable, path},
                                  "",
                                  {{"PYTHONIOENCODING", "utf-8"}},
                                  "",
                                  std::chrono::milliseconds(30000)});
  if (o.exit_code != 0) {
    ADD_FAILURE() << view.tool << " failed (exit " << o.exit_code << "):\n" << o.err;
    return view;
  }
  nlohmann::json j = nlohmann::json::parse(o.out);
  view.columns = j.at("columns").get<std::vector<std::string>>();
  view.rows = j.at("rows").get<std::vector<Cells>>();
  view.types = j.at("types").get<std::vector<Cells>>();
  view.other_sheets = j.at("other_sheets").dump();
  view.ok = true;
  return view;
}

// The final rows as the verdict wants them (name, need_run_num, run_num, parameters).
std::vector<live::FinalRow> final_rows(const ToolView& view) {
  std::vector<live::FinalRow> out;
  for (size_t i = 0; i < view.rows.size(); ++i) {
    const Cells& cells = view.rows[i];
    live::FinalRow r;
    r.index = i;
    r.name = cells.count("name") ? cells.at("name") : "";
    r.run_num = cells.count("run_num") ? cells.at("run_num") : "";
    const std::string need = cells.count("need_run_num") ? cells.at("need_run_num") : "";
    r.need_run_num = need.empty() ? 1 : std::stoll(need);
    for (const auto& [column, value] : cells)
      if (!live::is_reserved_column(column) && !value.empty()) r.params[column] = value;
    out.push_back(std::move(r));
  }
  return out;
}

// `after` holds `before`'s rows first, every cell as it was (value, and type where the format
// has types) but run_num, which is 1, then exactly `added`, every cell as given ("" = blank)
// and run_num 1. Other sheets are as they were.
void expect_rows(const ToolView& before, const ToolView& after, const std::vector<Cells>& added) {
  ASSERT_TRUE(before.ok && after.ok);
  EXPECT_EQ(after.columns, before.columns) << after.tool << ": the columns changed";
  EXPECT_EQ(after.other_sheets, before.other_sheets) << after.tool << ": another sheet changed";
  ASSERT_EQ(after.rows.size(), before.rows.size() + added.size())
      << after.tool << ": expected the " << before.rows.size() << " original rows and "
      << added.size() << " new ones";
  for (size_t i = 0; i < before.rows.size(); ++i) {
    for (const std::string& column : before.columns) {
      if (column == "run_num") continue;
      EXPECT_EQ(after.rows[i].at(column), before.rows[i].at(column))
          << after.tool << ": row " << i + 1 << ", column " << column << " changed";
      EXPECT_EQ(after.types[i].at(column), before.types[i].at(column))
          << after.tool << ": row " << i + 1 << ", column " << column << " changed its type";
    }
    EXPECT_EQ(after.rows[i].at("run_num"), "1")
        << after.tool << ": row " << i + 1 << " " << show(after.rows[i]);
  }
  for (size_t k = 0; k < added.size(); ++k) {
    const Cells& got = after.rows[before.rows.size() + k];
    Cells want;
    for (const std::string& column : after.columns)
      want[column] = added[k].count(column) ? added[k].at(column) : "";
    want["run_num"] = "1";
    EXPECT_EQ(show(got), show(want))
        << after.tool << ": new row " << k + 1 << " (row " << before.rows.size() + k + 1 << ")";
  }
}

// JSON and XLSX keep numbers as numbers: in every row, `text_columns` hold strings and every
// other filled cell holds an int.
void expect_types(const ToolView& view, const std::vector<std::string>& text_columns) {
  for (size_t i = 0; i < view.rows.size(); ++i) {
    for (const auto& [column, type] : view.types[i]) {
      if (view.rows[i].at(column).empty()) continue;
      bool text = std::find(text_columns.begin(), text_columns.end(), column) != text_columns.end();
      EXPECT_EQ(type, text ? "str" : "int") << view.tool << ": row " << i + 1 << ", column "
                                            << column << " (" << view.rows[i].at(column) << ")";
    }
  }
}

// ---- The tables ----

enum class Format { kCsv, kJson, kXlsx };

const char* ext_of(Format f) {
  switch (f) {
    case Format::kCsv:
      return "csv";
    case Format::kJson:
      return "json";
    case Format::kXlsx:
      return "xlsx";
  }
  return "?";
}

// Two tasks, alpha and bravo; `opt` is a text parameter, `x` a number; run_num blank (CSV,
// XLSX) or 0 (JSON). The CSV has CRLF line endings, which an appended row must keep.
const char* const kCsvTable =
    "name,x,opt,gpus,need_run_num,run_num\r\nalpha,1,adam,0,1,\r\nbravo,2,sgd,0,1,\r\n";
const char* const kJsonTable =
    "[\n"
    "  {\"name\": \"alpha\", \"x\": 1, \"opt\": \"adam\", \"gpus\": 0, \"need_run_num\": 1, "
    "\"run_num\": 0},\n"
    "  {\"name\": \"bravo\", \"x\": 2, \"opt\": \"sgd\", \"gpus\": 0, \"need_run_num\": 1, "
    "\"run_num\": 0}\n"
    "]\n";
// The same as an .xlsx made by openpyxl, numbers as numbers, with a second sheet.
constexpr const char* kMakeXlsx = R"PY(
import sys, openpyxl
book = openpyxl.Workbook()
sheet = book.active
sheet.title = "tasks"
sheet.append(["name", "x", "opt", "gpus", "need_run_num", "run_num"])
sheet.append(["alpha", 1, "adam", 0, 1, None])
sheet.append(["bravo", 2, "sgd", 0, 1, None])
book.create_sheet("notes").append(["keep", "this", 3])
book.save(sys.argv[1])
)PY";

void make_table(Format format, const std::string& path) {
  switch (format) {
    case Format::kCsv:
      write_file(path, kCsvTable);
      break;
    case Format::kJson:
      write_file(path, kJsonTable);
      break;
    case Format::kXlsx: {
      Outcome o = run_program(RunArgs{{"/usr/bin/python3", "-c", kMakeXlsx, path},
                                      "",
                                      {},
                                      "",
                                      std::chrono::milliseconds(30000)});
      ASSERT_EQ(o.exit_code, 0) << "openpyxl could not write " << path << ":\n" << o.err;
      break;
    }
  }
}

// The text with every run_num cell blanked: CSV by column (no quoting in these tables), JSON
// by member, so that two versions can be compared byte for byte apart from the progress.
std::string mask_run_num(const std::string& text, Format format) {
  if (format == Format::kJson) {
    static const std::regex member(R"re(("run_num"\s*:\s*)(-?[0-9]+|null|"[^"]*"))re");
    return std::regex_replace(text, member, "$1#");
  }
  std::string out;
  int column = -1;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    std::string line = text.substr(start, end - start);
    size_t body = line.size();
    while (body > 0 && (line[body - 1] == '\n' || line[body - 1] == '\r')) --body;
    std::vector<std::string> cells;
    std::string cell;
    for (size_t i = 0; i < body; ++i) {
      if (line[i] == ',') {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += line[i];
      }
    }
    cells.push_back(cell);
    if (column < 0) {
      for (size_t i = 0; i < cells.size(); ++i)
        if (cells[i] == "run_num") column = static_cast<int>(i);
    } else if (column < static_cast<int>(cells.size())) {
      cells[static_cast<size_t>(column)] = "#";
    }
    std::string joined;
    for (size_t i = 0; i < cells.size(); ++i) joined += (i ? "," : "") + cells[i];
    out += joined + line.substr(body);
    start = end;
  }
  return out;
}

// The rows `add` and `copy` make in AddAndCopy... below, by column ("" = blank).
const std::vector<Cells> kAddedRows = {
    // add name=charlie x=3 opt=adam gpus=0: need_run_num not given, so blank.
    {{"name", "charlie"}, {"x", "3"}, {"opt", "adam"}, {"gpus", "0"}},
    // copy 0 name=delta x=4: alpha's values, run_num blank, name and x changed.
    {{"name", "delta"}, {"x", "4"}, {"opt", "adam"}, {"gpus", "0"}, {"need_run_num", "1"}},
    // copy 1 opt=rmsprop: bravo's values with opt changed (same name, another experiment).
    {{"name", "bravo"}, {"x", "2"}, {"opt", "rmsprop"}, {"gpus", "0"}, {"need_run_num", "1"}},
};

struct TableAddFormat : ::testing::TestWithParam<Format> {
  TempDir dir;
  const std::string ext = ext_of(GetParam());
  // Default state and log directories, so that `flowline ctl` with no option finds it.
  Batch batch{dir, "t." + ext, /*default_dirs=*/true};
  const std::string original = dir.file("original." + ext);

  // Writes the table (and a copy of it to compare with), starts the batch, waits for alpha
  // and bravo at the gate.
  void start() {
    make_table(GetParam(), batch.table());
    std::filesystem::copy_file(batch.table(), original);
    batch.start();
    ASSERT_TRUE(batch.wait_started(2)) << evidence(batch);
  }

  // `flowline ctl ARGS` succeeds and says `answer`.
  void expect_ctl(const std::vector<std::string>& args, const std::string& answer) {
    Outcome o = batch.ctl(args);
    std::string command = "flowline ctl";
    for (const auto& a : args) command += " " + a;
    EXPECT_EQ(o.exit_code, 0) << command << "\nstdout: " << o.out << "\nstderr: " << o.err
                              << evidence(batch);
    EXPECT_THAT(o.out, HasSubstr(answer)) << command << evidence(batch);
  }

  // `flowline ctl ARGS` is refused with exit status 1 and a message holding each of `names`.
  void expect_refused(const std::vector<std::string>& args, const std::vector<std::string>& names) {
    Outcome o = batch.ctl(args);
    std::string command = "flowline ctl";
    for (const auto& a : args) command += " " + a;
    EXPECT_EQ(o.exit_code, 1) << command << "\nstdout: " << o.out << "\nstderr: " << o.err;
    for (const auto& name : names)
      EXPECT_THAT(o.err, HasSubstr(name)) << command << ": the message should name " << name;
  }
};

// add, and copy with and without a new name, while alpha and bravo wait at the gate: the three
// new tasks run once each with their own parameters (the verdict also checks the database),
// and every reader sees them with run_num 1 beside the original rows, unchanged.
TEST_P(TableAddFormat, AddAndCopyRunOnceAndReachTheFile) {
  if (GetParam() == Format::kXlsx && !live::have_program("soffice"))
    GTEST_SKIP() << "LibreOffice (soffice) is not installed";
  start();
  const std::string where = " of " + batch.table();
  expect_ctl({"add", "name=charlie", "x=3", "opt=adam", "gpus=0"},
             "task 2 (charlie) added as row 3" + where);
  expect_ctl({"copy", "0", "name=delta", "x=4"}, "task 3 (delta) added as row 4" + where);
  expect_ctl({"copy", "1", "opt=rmsprop"}, "task 4 (bravo) added as row 5" + where);
  EXPECT_TRUE(batch.wait_started(5, kNotice))
      << "the added tasks did not all start (" << batch.started() << " runs)" << evidence(batch);
  batch.open_gate();
  EXPECT_EQ(batch.finish(), 0) << "flowline run --batch exit status" << evidence(batch);

  const char* reader = GetParam() == Format::kCsv    ? "python csv"
                       : GetParam() == Format::kJson ? "python json"
                                                     : "openpyxl";
  ToolView before = read_with_python(original, reader);
  ToolView after = read_with_python(batch.table(), reader);
  ASSERT_TRUE(before.ok && after.ok) << evidence(batch);
  expect_rows(before, after, kAddedRows);
  EXPECT_TRUE(live::verdict(final_rows(after), batch.log(), batch.db())) << evidence(batch);
  if (GetParam() != Format::kCsv) expect_types(after, {"name", "opt"});

  const std::string old_text = read_file(original), new_text = read_file(batch.table());
  switch (GetParam()) {
    case Format::kCsv: {
      // The original bytes, run_num aside, then the new rows, with the file's CRLF endings.
      const std::string old_masked = mask_run_num(old_text, Format::kCsv);
      const std::string new_masked = mask_run_num(new_text, Format::kCsv);
      EXPECT_EQ(new_masked.substr(0, old_masked.size()), old_masked) << evidence(batch);
      EXPECT_EQ(std::regex_search(new_text, std::regex("[^\r]\n")), false)
          << "a line ends in LF alone in a CRLF file" << evidence(batch);
      EXPECT_THAT(new_text, HasSubstr("\r\ncharlie,3,adam,0,,1\r\n")) << evidence(batch);
      break;
    }
    case Format::kJson: {
      // Every byte of the array up to its last element, and after it, run_num aside; the new
      // elements laid out like their neighbours (one per line, same indentation and spacing).
      const std::string old_masked = mask_run_num(old_text, Format::kJson);
      const std::string new_masked = mask_run_num(new_text, Format::kJson);
      const size_t last = old_masked.rfind('}') + 1;
      EXPECT_EQ(new_masked.substr(0, last), old_masked.substr(0, last)) << evidence(batch);
      const std::string tail = old_masked.substr(last);
      EXPECT_TRUE(new_masked.size() >= tail.size() &&
                  new_masked.substr(new_masked.size() - tail.size()) == tail)
          << "the text after the last element changed" << evidence(batch);
      EXPECT_THAT(new_text, HasSubstr(",\n  {\"name\": \"charlie\", \"x\": 3, \"opt\": \"adam\", "
                                      "\"gpus\": 0"))
          << evidence(batch);
      break;
    }
    case Format::kXlsx: {
      // LibreOffice's CSV export of the final file: its export of the original, run_num aside,
      // then the new rows. One run converts both; a profile of its own in the temp dir.
      const std::string out_dir = dir.file("soffice-csv");
      const std::string profile = "-env:UserInstallation=file://" + dir.file("soffice-profile");
      ASSERT_EQ(live::sh("soffice " + profile +
                         " --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1'"
                         " --outdir " +
                         out_dir + " " + original + " " + batch.table() + " >/dev/null 2>&1"),
                0);
      ToolView lo_before = read_with_python(out_dir + "/original.csv", "LibreOffice");
      ToolView lo_after = read_with_python(out_dir + "/t.csv", "LibreOffice");
      expect_rows(lo_before, lo_after, kAddedRows);
      break;
    }
  }
}

// An unknown column in `add` or `copy`, and `copy` of a task that does not exist, are refused
// (exit status 1, the message names the column or the task), and the file is left byte for
// byte as it was; the batch then runs alpha and bravo only.
TEST_P(TableAddFormat, UnknownColumnOrTaskIsRefusedAndTheFileIsUnchanged) {
  start();
  const std::string bytes = read_file(batch.table());
  expect_refused({"add", "name=echo", "x=5", "nosuch=1"}, {"nosuch"});
  expect_refused({"copy", "99"}, {"no task 99"});
  expect_refused({"copy", "0", "name=echo", "nosuch=2"}, {"nosuch"});
  EXPECT_TRUE(read_file(batch.table()) == bytes)
      << "a refused add/copy changed the table file" << evidence(batch);
  EXPECT_EQ(batch.count_output(live::kTableChanged), 0) << evidence(batch);
  batch.open_gate();
  EXPECT_EQ(batch.finish(), 0) << evidence(batch);
  EXPECT_EQ(batch.started(), 2) << "a refused add/copy started a run" << evidence(batch);
  ToolView after = read_with_python(batch.table(), ext);
  ToolView before = read_with_python(original, ext);
  expect_rows(before, after, {});
}

INSTANTIATE_TEST_SUITE_P(TableAdd, TableAddFormat,
                         ::testing::Values(Format::kCsv, Format::kJson, Format::kXlsx),
                         [](const ::testing::TestParamInfo<Format>& info) {
                           switch (info.param) {
                             case Format::kCsv:
                               return std::string("Csv");
                             case Format::kJson:
                               return std::string("Json");
                             case Format::kXlsx:
                               return std::string("Xlsx");
                           }
                           return std::string("Unknown");
                         });

// ---- Results that cannot reach the file ----

const char* const kUnwritten = "could not be written into the table";

// The table file deleted while its runs are in flight: they finish and are recorded, the batch
// summary says their results could not be written into the table, and the exit status is 1.
// The database keeps the counts: with the table back, the next start writes them and runs
// nothing again.
TEST(TableAdd, DeletedTableMidRunIsReportedAndTheExitStatusIsOne) {
  TempDir dir;
  Batch batch(dir, "t.csv");
  write_file(batch.table(), kCsvTable);
  batch.start();
  ASSERT_TRUE(batch.wait_started(2)) << evidence(batch);
  const int named = batch.count_output("t.csv");
  std::filesystem::remove(batch.table());
  EXPECT_TRUE(batch.wait_output("t.csv", named, kNotice))
      << "FlowLine did not say that the table is gone" << evidence(batch);
  batch.open_gate();
  EXPECT_EQ(batch.finish(), 1) << "exit status with the table deleted" << evidence(batch);
  EXPECT_EQ(batch.finished(), 2) << evidence(batch);
  EXPECT_GE(batch.count_output(kUnwritten), 1)
      << "the summary should say the results could not be written" << evidence(batch);

  write_file(batch.table(), kCsvTable);
  batch.start();
  EXPECT_EQ(batch.finish(), 0) << "the next start, with the table back" << evidence(batch);
  EXPECT_EQ(batch.started(), 2) << "the next start ran finished tasks again" << evidence(batch);
  EXPECT_TRUE(
      live::verdict(live::final_rows_of(live::read_csv(batch.table())), batch.log(), batch.db()))
      << evidence(batch);
}

// The table's directory made read-only to FlowLine (run as nobody; root ignores permissions)
// while its runs are in flight: the write-back cannot replace the file; the batch says so and
// exits 1, and the file is as it was.
TEST(TableAdd, ReadOnlyTableDirectoryMidRunIsReportedAndTheExitStatusIsOne) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run FlowLine as nobody";
  if (!live::have_program("setpriv")) GTEST_SKIP() << "setpriv is not installed";
  constexpr uid_t kNobody = 65534;
  TempDir dir;
  // nobody owns the test's directory, and a runtime directory for the table lock in it.
  const std::string runtime = dir.file("runtime");
  std::filesystem::create_directory(runtime);
  for (const std::string& d : {dir.path(), runtime}) {
    ASSERT_EQ(::chown(d.c_str(), kNobody, kNobody), 0) << d;
    ASSERT_EQ(::chmod(d.c_str(), d == runtime ? 0700 : 0755), 0) << d;
  }
  Batch batch(dir, "t.csv");
  write_file(batch.table(), kCsvTable);
  batch.run_as({"/usr/bin/env", "XDG_RUNTIME_DIR=" + runtime, "HOME=" + dir.path(),
                "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
  batch.start();
  ASSERT_TRUE(batch.wait_started(2)) << evidence(batch);
  ASSERT_EQ(::chmod(dir.path().c_str(), 0555), 0);
  batch.open_gate();
  const int status = batch.finish();
  ::chmod(dir.path().c_str(), 0755);
  EXPECT_EQ(status, 1) << "exit status with the table's directory read-only" << evidence(batch);
  EXPECT_EQ(batch.finished(), 2) << evidence(batch);
  EXPECT_GE(batch.count_output(kUnwritten), 1)
      << "the summary should say the results could not be written" << evidence(batch);
  EXPECT_EQ(read_file(batch.table()), kCsvTable) << evidence(batch);
}

// ---- reload ----

// `flowline ctl reload` right after a save applies it and says so, without waiting for the
// watcher (which reads a save about 0.1 s after it). When the watcher wins the race (a ctl
// round trip on a loaded machine can take longer), the save must have been applied by it
// (FlowLine said "table changed: 1 task added") and reload finds nothing new: either way the
// row is applied once. Which one wins is timing, so the test asks for neither.
TEST(TableAdd, ReloadRightAfterASaveReportsTheChange) {
  TempDir dir;
  Batch batch(dir, "t.csv", /*default_dirs=*/true);
  write_file(batch.table(), "name,x,gpus,need_run_num\nalpha,1,0,1\nbravo,2,0,1\n");
  batch.start();
  ASSERT_TRUE(batch.wait_started(2)) << evidence(batch);
  Outcome idle = batch.ctl({"reload"});
  EXPECT_EQ(idle.exit_code, 0) << idle.err << evidence(batch);
  EXPECT_EQ(idle.out, "table re-read: no task added, removed or changed\n") << evidence(batch);

  std::string text = read_file(batch.table());
  int rows = 2;
  bool reload_first = false;
  for (int attempt = 0; attempt < 3 && !reload_first; ++attempt) {
    const int noticed = batch.count_output("table changed: 1 task added");
    text += "r" + std::to_string(attempt) + "," + std::to_string(10 + attempt) + ",0,1\n";
    write_file(batch.table(), text);  // an in-place save
    Outcome o = batch.ctl({"reload"});
    ++rows;
    ASSERT_EQ(o.exit_code, 0) << o.err << evidence(batch);
    if (o.out == "table re-read: 1 task added\n") {
      reload_first = true;
    } else {
      // The watcher read it first: then it must have applied it.
      EXPECT_EQ(o.out, "table re-read: no task added, removed or changed\n") << evidence(batch);
      EXPECT_TRUE(batch.wait_output("table changed: 1 task added", noticed, kNotice))
          << "reload found nothing new, yet the watcher did not apply the save" << evidence(batch);
    }
    EXPECT_TRUE(batch.wait_started(rows, kNotice))
        << "the row added by save " << attempt + 1 << " did not start" << evidence(batch);
  }
  if (!reload_first) std::printf("note: the watcher applied all three saves before reload did\n");
  batch.open_gate();
  EXPECT_EQ(batch.finish(), 0) << evidence(batch);
  EXPECT_TRUE(
      live::verdict(live::final_rows_of(live::read_csv(batch.table())), batch.log(), batch.db()))
      << evidence(batch);
}

}  // namespace
}  // namespace flowline::testing

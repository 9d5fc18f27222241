#include "integration/support/live_table.hpp"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace flowline::testing::live {
namespace {

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cell;
  for (char c : line) {
    if (c == sep) {
      out.push_back(cell);
      cell.clear();
    } else if (c != '\r') {
      cell += c;
    }
  }
  out.push_back(cell);
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

std::string tail(const std::string& text, size_t max = 6000) {
  return text.size() <= max ? text : "..." + text.substr(text.size() - max);
}

const char* const kReserved[] = {"name", "run_num", "need_run_num", "cmd",
                                 "gpus", "min_mem", "priority",     "timeout"};

}  // namespace

// ---- Csv ----

int Csv::column(const std::string& name) const {
  auto it = std::find(header.begin(), header.end(), name);
  return it == header.end() ? -1 : static_cast<int>(it - header.begin());
}

std::string Csv::get(size_t row, const std::string& name) const {
  int c = column(name);
  if (c < 0 || row >= rows.size() || static_cast<size_t>(c) >= rows[row].size()) return "";
  return rows[row][static_cast<size_t>(c)];
}

void Csv::set(size_t row, const std::string& name, const std::string& value) {
  int c = column(name);
  if (c < 0) {
    header.push_back(name);
    c = static_cast<int>(header.size()) - 1;
  }
  if (rows[row].size() <= static_cast<size_t>(c)) rows[row].resize(static_cast<size_t>(c) + 1);
  rows[row][static_cast<size_t>(c)] = value;
}

std::vector<std::string> Csv::make_row(const std::map<std::string, std::string>& cells) const {
  std::vector<std::string> row(header.size());
  for (const auto& [k, v] : cells) {
    int c = column(k);
    if (c < 0)
      ADD_FAILURE() << "make_row: the table has no column " << k;
    else
      row[static_cast<size_t>(c)] = v;
  }
  return row;
}

int Csv::find(const std::string& name) const {
  for (size_t i = 0; i < rows.size(); ++i)
    if (get(i, "name") == name) return static_cast<int>(i);
  return -1;
}

std::string Csv::text() const {
  auto join = [](const std::vector<std::string>& cells, size_t width) {
    std::string line;
    for (size_t i = 0; i < width; ++i) {
      if (i) line += ',';
      if (i < cells.size()) line += cells[i];
    }
    return line + "\n";
  };
  std::string out = join(header, header.size());
  for (const auto& r : rows) out += join(r, header.size());
  return out;
}

Csv parse_csv(const std::string& text) {
  Csv csv;
  auto lines = lines_of(text);
  if (lines.empty()) return csv;
  csv.header = split(lines[0], ',');
  for (size_t i = 1; i < lines.size(); ++i) csv.rows.push_back(split(lines[i], ','));
  return csv;
}

Csv read_csv(const std::string& path) { return parse_csv(read_file(path)); }

// ---- Final rows ----

bool is_reserved_column(const std::string& column) {
  return std::find(std::begin(kReserved), std::end(kReserved), column) != std::end(kReserved);
}

std::string key_of(const std::string& name, const std::map<std::string, std::string>& params) {
  std::string key = "name=" + name;
  for (const auto& [k, v] : params)
    if (!v.empty()) key += " " + k + "=" + v;
  return key;
}

std::string key_of(const FinalRow& row) { return key_of(row.name, row.params); }

std::vector<FinalRow> final_rows_of(const Csv& csv) {
  std::vector<FinalRow> out;
  for (size_t i = 0; i < csv.rows.size(); ++i) {
    FinalRow r;
    r.index = i;
    r.name = csv.get(i, "name");
    r.run_num = csv.get(i, "run_num");
    std::string need = csv.get(i, "need_run_num");
    r.need_run_num = need.empty() ? 1 : std::stoll(need);
    for (const auto& column : csv.header)
      if (!is_reserved_column(column) && !csv.get(i, column).empty())
        r.params[column] = csv.get(i, column);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<FinalRow> final_rows_by_check(const std::string& table) {
  Outcome o = run_flowline({"check", table, "--json"});
  if (o.exit_code != 0) {
    ADD_FAILURE() << "flowline check " << table << " refuses the final table (exit " << o.exit_code
                  << "):\n"
                  << o.err;
    return {};
  }
  std::vector<FinalRow> out;
  nlohmann::json tasks = nlohmann::json::parse(o.out);
  for (size_t i = 0; i < tasks.size(); ++i) {
    const nlohmann::json& t = tasks[i];
    FinalRow r;
    r.index = i;
    r.name = t.at("name").get<std::string>();
    r.run_num = std::to_string(t.at("run_num").get<int64_t>());
    r.need_run_num = t.at("need_run_num").get<int64_t>();
    for (const auto& [k, v] : t.at("params").items())
      if (!v.get<std::string>().empty()) r.params[k] = v.get<std::string>();
    out.push_back(std::move(r));
  }
  return out;
}

// ---- Workload log ----

std::vector<WorkloadRun> read_workload(const std::string& log) {
  // start run=R task=T pid=P -- --name a --x 1
  std::vector<WorkloadRun> runs;
  std::map<std::string, size_t> by_who;  // "run=R task=T pid=P" -> index in runs
  std::string text = read_file(log);
  // Runs outlive a killed FlowLine and may be writing a line as the test reads: a reader can
  // see part of a write() in progress. Only whole lines are records.
  text.erase(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
  for (const std::string& line : lines_of(text)) {
    size_t sep = line.find(" -- ");
    size_t space = line.find(' ');
    if (sep == std::string::npos || space == std::string::npos) {
      ADD_FAILURE() << "workload log: unreadable line: " << line;
      continue;
    }
    std::string kind = line.substr(0, space);
    std::string who = line.substr(space + 1, sep - space - 1);
    std::istringstream args(line.substr(sep + 4));
    std::vector<std::string> words;
    for (std::string w; args >> w;) words.push_back(w);
    std::string name;
    std::map<std::string, std::string> params;
    for (size_t i = 0; i + 1 < words.size(); i += 2) {
      std::string k = words[i].rfind("--", 0) == 0 ? words[i].substr(2) : words[i];
      if (k == "name")
        name = words[i + 1];
      else
        params[k] = words[i + 1];
    }
    if (kind == "start") {
      WorkloadRun r;
      std::istringstream w(who);
      for (std::string field; w >> field;) {
        if (field.rfind("run=", 0) == 0) r.run_id = field.substr(4);
        if (field.rfind("task=", 0) == 0) r.task_id = field.substr(5);
      }
      r.key = key_of(name, params);
      by_who[who] = runs.size();
      runs.push_back(std::move(r));
    } else if (auto it = by_who.find(who); it != by_who.end()) {
      (kind == "done" ? runs[it->second].done : runs[it->second].gave_up) = true;
    }
  }
  return runs;
}

int count_key(const std::vector<WorkloadRun>& runs, const std::string& key, bool done_only) {
  int n = 0;
  for (const auto& r : runs) n += r.key == key && (r.done || !done_only);
  return n;
}

// ---- Database ----

DbView read_db(const std::string& db_path) {
  DbView view;
  if (!file_exists(db_path)) {
    view.error = db_path + " does not exist";
    return view;
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    view.error = std::string("cannot open ") + db_path + ": " + sqlite3_errmsg(db);
    sqlite3_close(db);
    return view;
  }
  sqlite3_busy_timeout(db, 5000);
  auto query = [&](const char* sql, auto&& each) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
      view.error += std::string(sql) + ": " + sqlite3_errmsg(db) + "\n";
      return;
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) each(stmt);
    sqlite3_finalize(stmt);
  };
  auto text = [](sqlite3_stmt* s, int i) {
    const unsigned char* t = sqlite3_column_text(s, i);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  query("SELECT name, run_num FROM tasks", [&](sqlite3_stmt* s) {
    view.tasks.push_back({text(s, 0), sqlite3_column_int64(s, 1)});
  });
  query("SELECT run_id, state FROM runs",
        [&](sqlite3_stmt* s) { view.run_state[text(s, 0)] = text(s, 1); });
  sqlite3_close(db);
  view.opened = view.error.empty();
  return view;
}

// ---- Verdict ----

::testing::AssertionResult verdict(const std::vector<FinalRow>& rows,
                                   const std::string& workload_log, const std::string& db_path,
                                   const VerdictOptions& options) {
  std::vector<std::string> problems;
  if (rows.empty()) problems.push_back("the final table has no rows (or could not be read)");
  const std::vector<WorkloadRun> runs = read_workload(workload_log);
  auto expected_of = [&](const FinalRow& r) {
    auto it = options.expect_runs.find(r.name);
    return it == options.expect_runs.end() ? r.need_run_num : it->second;
  };
  auto describe = [](const FinalRow& r) {
    return "row " + std::to_string(r.index + 1) + " (" + key_of(r) + ")";
  };
  // Per row: its run_num cell.
  for (const FinalRow& r : rows) {
    int64_t want = expected_of(r);
    if (r.run_num != std::to_string(want))
      problems.push_back(describe(r) + ": run_num in the file is '" + r.run_num + "', expected " +
                         std::to_string(want) + " (need_run_num " + std::to_string(r.need_run_num) +
                         ")");
  }
  // Per parameter set: the runs of the workload.
  std::map<std::string, std::vector<const FinalRow*>> by_key;
  for (const FinalRow& r : rows) by_key[key_of(r)].push_back(&r);
  for (const auto& [key, group] : by_key) {
    int64_t want = 0;
    std::string where;
    for (const FinalRow* r : group) {
      want += expected_of(*r);
      where += (where.empty() ? "row " : ", ") + std::to_string(r->index + 1);
    }
    int done = count_key(runs, key, true), started = count_key(runs, key, false);
    if (done != want)
      problems.push_back(where + " (" + key + "): expected " + std::to_string(want) +
                         " finished runs of these parameters, got " + std::to_string(done) + " (" +
                         std::to_string(started) + " started)");
    if (started != done)
      problems.push_back(where + " (" + key + "): " + std::to_string(started) +
                         " runs started but " + std::to_string(done) +
                         " finished (one ran twice, or was left at its gate)");
  }
  if (options.check_db) {
    DbView db = read_db(db_path);
    if (!db.opened) {
      problems.push_back("database: " + db.error);
    } else {
      // The file's run_num of every row named N is among the database's tasks named N (a
      // removed or edited task may stay there beside it).
      std::map<std::string, std::vector<int64_t>> db_by_name;
      for (const DbTask& t : db.tasks) db_by_name[t.name].push_back(t.run_num);
      std::map<std::string, std::vector<const FinalRow*>> by_name;
      for (const FinalRow& r : rows)
        if (!r.name.empty()) by_name[r.name].push_back(&r);
      for (const auto& [name, group] : by_name) {
        std::vector<int64_t> pool = db_by_name[name];
        for (const FinalRow* r : group) {
          int64_t in_file = r->run_num.empty() ? 0 : std::stoll(r->run_num);
          auto it = std::find(pool.begin(), pool.end(), in_file);
          if (it != pool.end()) {
            pool.erase(it);
            continue;
          }
          std::string have;
          for (int64_t v : db_by_name[name]) have += (have.empty() ? "" : ", ") + std::to_string(v);
          problems.push_back(describe(*r) + ": run_num " + std::to_string(in_file) +
                             " in the file, but the database's tasks named '" + name +
                             "' have run_num [" + have + "]");
        }
      }
      for (const WorkloadRun& w : runs) {
        if (!w.done) continue;
        auto it = db.run_state.find(w.run_id);
        std::string state = it == db.run_state.end() ? "no record" : "'" + it->second + "'";
        if (state != "'succeeded'")
          problems.push_back("run " + w.run_id + " (" + w.key +
                             ") finished, but the database has " + state + " for it");
      }
    }
  }
  if (problems.empty()) return ::testing::AssertionSuccess();
  std::string text = "the table and its runs disagree:\n";
  for (const auto& p : problems) text += "  - " + p + "\n";
  return ::testing::AssertionFailure() << text;
}

// ---- Shell commands ----

int sh(const std::string& command) {
  Outcome o = run_program(
      RunArgs{{"/bin/sh", "-c", command}, "", {}, "", std::chrono::milliseconds(30000)});
  EXPECT_EQ(o.exit_code, 0) << command << "\n" << o.err;
  return o.exit_code;
}

bool have_program(const std::string& program) {
  return run_program(RunArgs{{"/bin/sh", "-c", "command -v " + program},
                             "",
                             {},
                             "",
                             std::chrono::milliseconds(5000)})
             .exit_code == 0;
}

// ---- Batch ----

std::string record_script() {
  return std::string(FLOWLINE_SOURCE_DIR) + "/tests/integration/support/record_run.sh";
}

Batch::Batch(const TempDir& dir, std::string table_name, bool default_dirs)
    : dir_(dir.path()),
      table_name_(table_name),
      table_(dir.file(table_name)),
      log_(dir.file("workload-" + table_name + ".log")),
      gate_(dir.file("gate")),
      state_dir_(default_dirs ? dir.file(".flowline/" + table_name) : dir.file("state")),
      log_dir_(default_dirs ? dir.file("log/" + table_name) : dir.file("logs")),
      out_(dir.file("flowline-" + table_name + ".out")),
      default_dirs_(default_dirs) {}

Batch::~Batch() {
  open_gate();
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    wait_for(pid_);
  }
}

std::string Batch::output() const { return read_file(out_); }

std::vector<std::string> Batch::args(const std::vector<std::string>& extra) const {
  std::vector<std::string> a = {"run", default_dirs_ ? table_name_ : table_, "--batch", "--cmd",
                                "sh " + record_script() + " " + log_ + " " + gate_ +
                                    (with_name_ ? " --name {name}" : "") + " {args}"};
  if (!default_dirs_) {
    for (const std::string& s :
         {std::string("--state-dir"), state_dir_, std::string("--log-dir"), log_dir_})
      a.push_back(s);
  }
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

void Batch::start(const std::vector<std::string>& extra, int max_running) {
  if (pid_ > 0) ADD_FAILURE() << "Batch::start: the previous FlowLine is still running";
  std::vector<std::string> a = args(extra);
  a.push_back("--max");
  a.push_back(std::to_string(max_running));
  exit_status_.reset();
  pid_ = spawn_flowline(a, dir_, std::filesystem::path(out_).filename(), prefix_);
}

bool Batch::alive() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) != pid_) return true;
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  pid_ = -1;
  return false;
}

int Batch::finish(std::chrono::milliseconds limit) {
  if (!wait_until([&] { return !alive(); }, limit)) {
    ::kill(pid_, SIGKILL);
    wait_for(pid_);
    pid_ = -1;
    ADD_FAILURE() << "flowline run --batch did not end within " << limit.count()
                  << " ms; killed it";
    return -1000;
  }
  return exit_status_.value_or(-1000);
}

void Batch::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_for(pid_);
  pid_ = -1;
}

void Batch::open_gate() const { write_file(gate_, "open\n"); }
void Batch::release(const std::string& run_id) const { write_file(gate_ + ".run-" + run_id, ""); }

Outcome Batch::ctl(const std::vector<std::string>& args) const {
  std::vector<std::string> a = {"ctl"};
  if (!default_dirs_) a.insert(a.end(), {"--state-dir", state_dir_});
  a.insert(a.end(), args.begin(), args.end());
  return run_flowline(a, dir_);
}

int Batch::started() const { return static_cast<int>(runs().size()); }
int Batch::finished() const {
  int n = 0;
  for (const auto& r : runs()) n += r.done;
  return n;
}
bool Batch::wait_started(int n, std::chrono::milliseconds limit) const {
  return wait_until([&] { return started() >= n; }, limit);
}
bool Batch::wait_finished(int n, std::chrono::milliseconds limit) const {
  return wait_until([&] { return finished() >= n; }, limit);
}

int Batch::count_output(const std::string& needle) const {
  int n = 0;
  for (const auto& line : lines_of(output())) n += line.find(needle) != std::string::npos;
  return n;
}

bool Batch::wait_output(const std::string& needle, int before,
                        std::chrono::milliseconds limit) const {
  return wait_until([&] { return count_output(needle) > before; }, limit);
}

std::string evidence(const Batch& batch) {
  const std::string ext = std::filesystem::path(batch.table()).extension();
  const bool text = ext == ".csv" || ext == ".json";
  return "\n--- table " + batch.table() + ":\n" +
         (text ? tail(read_file(batch.table()), 3000) : std::string("(not CSV or JSON)\n")) +
         "--- workload log:\n" + tail(read_file(batch.log()), 4000) + "--- flowline output:\n" +
         tail(batch.output());
}

}  // namespace flowline::testing::live

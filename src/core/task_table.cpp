#include "core/task_table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <unordered_set>

namespace flowline {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Accepts an optional sign, digits, and an optional fraction of zeros only ("2", "-3", "2.0"),
// since spreadsheets often hand whole numbers over as "2.0".
std::optional<int64_t> parse_whole_number(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  if (dot != std::string_view::npos) {
    std::string_view fraction = text.substr(dot + 1);
    for (char c : fraction) {
      if (c != '0') return std::nullopt;
    }
    if (whole.empty() || whole == "-") return std::nullopt;
  }
  int64_t value = 0;
  const char* end = whole.data() + whole.size();
  auto [ptr, ec] = std::from_chars(whole.data(), end, value);
  if (ec != std::errc() || ptr != end || whole.empty()) return std::nullopt;
  return value;
}

bool is_blank(const CellValue& cell) { return !cell || trim(*cell).empty(); }

// Collects problems across the whole table so the user can fix them in one pass.
class ErrorList {
 public:
  ErrorList(const std::string& path, const std::vector<std::string>& columns)
      : path_(path), columns_(columns) {}

  // `line` is where the user finds the row: see RawTable::source_rows.
  void add(int64_t line, size_t col, const std::string& what) {
    ++count_;
    if (count_ > kMaxTableErrors) return;
    if (!text_.empty()) text_ += '\n';
    text_ += path_ + ":" + std::to_string(line) + ":" + std::to_string(col + 1) + ": column '" +
             columns_[col] + "': " + what;
  }
  void add_header(size_t col, const std::string& what) {
    ++count_;
    if (count_ > kMaxTableErrors) return;
    if (!text_.empty()) text_ += '\n';
    text_ += path_ + ":1:" + std::to_string(col + 1) + ": " + what;
  }
  bool empty() const { return count_ == 0; }
  int64_t count() const { return count_; }
  Error error() const {
    std::string text = text_;
    if (count_ > kMaxTableErrors) {
      text += "\n… and " + std::to_string(count_ - kMaxTableErrors) + " more errors";
    }
    return Error{text};
  }

 private:
  const std::string& path_;
  const std::vector<std::string>& columns_;
  std::string text_;
  int64_t count_ = 0;
};

enum class Field { kName, kRunNum, kNeedRunNum, kCmd, kGpus, kMinMem, kPriority, kTimeout };

struct ColumnRole {
  bool reserved = false;
  Field field = Field::kName;
};

std::vector<ColumnRole> column_roles(const std::vector<std::string>& columns) {
  std::vector<ColumnRole> roles(columns.size());
  for (size_t c = 0; c < columns.size(); ++c) {
    for (size_t r = 0; r < kReservedColumns.size(); ++r) {
      if (columns[c] == kReservedColumns[r]) roles[c] = {true, static_cast<Field>(r)};
    }
  }
  return roles;
}

std::string got(std::string_view text) { return ", got '" + std::string(text) + "'"; }

// Parses a whole number that must be >= min; on failure records `expected` and returns nullopt.
std::optional<int64_t> whole_at_least(std::string_view text, int64_t min, const char* expected,
                                      ErrorList& errors, int64_t line, size_t col) {
  auto value = parse_whole_number(text);
  if (!value || *value < min) {
    errors.add(line, col, std::string("expected ") + expected + got(text));
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> parse_timeout_ms(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double seconds = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, seconds);
  if (ec != std::errc() || ptr != end || text.empty() || !std::isfinite(seconds)) {
    return std::nullopt;
  }
  // Stay far inside int64 milliseconds; a timeout of centuries is surely a typo.
  if (seconds <= 0 || seconds > 1e12) return std::nullopt;
  const auto ms = static_cast<int64_t>(std::llround(seconds * 1000.0));
  if (ms < 1) return std::nullopt;
  return ms;
}

void apply_reserved(Field field, std::string_view text, Task& task, ErrorList& errors,
                    int64_t line, size_t col) {
  switch (field) {
    case Field::kName:
      task.name = std::string(text);
      break;
    case Field::kCmd:
      task.cmd = std::string(text);
      break;
    case Field::kRunNum:
      if (auto v =
              whole_at_least(text, 0, "a whole number of completed runs ≥ 0", errors, line, col)) {
        task.run_num = *v;
      }
      break;
    case Field::kNeedRunNum:
      if (auto v = whole_at_least(text, 0, "a whole number of wanted runs ≥ 0", errors, line, col)) {
        task.need_run_num = *v;
      }
      break;
    case Field::kGpus:
      if (auto v = whole_at_least(text, 0, "a whole number of GPUs ≥ 0 (0 = CPU only)", errors, line,
                                  col)) {
        if (*v <= kMaxGpusPerTask) {
          task.gpus = *v;
        } else {
          errors.add(line, col,
                     "at most " + std::to_string(kMaxGpusPerTask) + " GPUs per run" + got(text));
        }
      }
      break;
    case Field::kMinMem:
      if (text == "auto") {
        task.min_mem_auto = true;
      } else if (auto v = whole_at_least(text, 0, "a whole number of MiB ≥ 0 or auto", errors, line,
                                         col)) {
        task.min_mem = *v;
      }
      break;
    case Field::kPriority:
      if (auto v = whole_at_least(text, std::numeric_limits<int64_t>::min(),
                                  "a whole number (higher runs first; may be negative)", errors,
                                  line, col)) {
        task.priority = *v;
      }
      break;
    case Field::kTimeout:
      if (auto ms = parse_timeout_ms(text)) {
        task.timeout_ms = *ms;
      } else {
        errors.add(line, col,
                   "expected a positive number of seconds (e.g. 3600 or 0.5)" + got(text));
      }
      break;
  }
}

// A NUL byte cannot reach a command (its arguments and environment are C strings), so a
// cell holding one would fail every run with a baffling "Protocol error": refused at load.
constexpr const char* kNulRefused =
    "holds a NUL byte (\\0), which no command or environment can carry; remove it";

bool has_nul(const CellValue& cell) {
  return cell && cell->find('\0') != std::string::npos;
}

void check_header(const std::vector<std::string>& columns, ErrorList& errors) {
  std::unordered_set<std::string> seen;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].find('\0') != std::string::npos) errors.add_header(c, "the column name " +
                                                                        std::string(kNulRefused));
    if (!seen.insert(columns[c]).second) {
      errors.add_header(c, "duplicate column '" + columns[c] + "'");
    }
  }
}

// Moves the row's text out of `cells` into a task with the given id.
Task task_from_cells(const std::vector<std::string>& columns, const std::vector<ColumnRole>& roles,
                     const TaskParams::Names& param_names, int64_t id,
                     std::vector<CellValue>& cells, int64_t line, ErrorList& errors) {
  Task task;
  std::vector<std::string> values;
  values.reserve(param_names->size());
  task.id = id;
  task.row = id;
  for (size_t c = 0; c < columns.size(); ++c) {
    CellValue& cell = cells[c];
    if (has_nul(cell)) errors.add(line, c, kNulRefused);
    if (!roles[c].reserved) {
      values.push_back(cell ? std::move(*cell) : std::string());
      continue;
    }
    if (is_blank(cell)) continue;  // a blank reserved cell takes its default
    if (roles[c].field == Field::kName) {
      task.name = std::move(*cell);
      task.name_given = true;
    } else if (roles[c].field == Field::kCmd) {
      if (trim(*cell) == kOriginalNoCommand)
        task.cmd_placeholder = true;
      else
        task.cmd = std::move(*cell);
    } else {
      apply_reserved(roles[c].field, *cell, task, errors, line, c);
    }
  }
  task.params = TaskParams(param_names, std::move(values));
  if (task.name.empty()) task.name = "Task:" + std::to_string(id);
  // run_num above need_run_num is legal: the user lowered need_run_num, and the task is done.
  return task;
}

}  // namespace

bool is_reserved_column(std::string_view column) {
  for (auto name : kReservedColumns) {
    if (name == column) return true;
  }
  return false;
}

struct TaskTableBuilder::State {
  State(std::string path_in, std::vector<std::string> columns_in)
      : path(std::move(path_in)), columns(std::move(columns_in)), errors(path, columns) {}
  std::string path;
  std::vector<std::string> columns;
  std::vector<ColumnRole> roles;
  TaskParams::Names param_names;
  ErrorList errors;
  std::optional<Error> shape_error;  // a reader broke its promise of rectangular rows
  std::vector<Task> tasks;
};

TaskTableBuilder::TaskTableBuilder(std::string path, std::vector<std::string> columns,
                                   size_t expected_rows)
    : state_(std::make_unique<State>(std::move(path), std::move(columns))) {
  State& s = *state_;
  check_header(s.columns, s.errors);
  s.roles = column_roles(s.columns);
  auto names = std::make_shared<std::vector<std::string>>();
  for (size_t c = 0; c < s.roles.size(); ++c)
    if (!s.roles[c].reserved) names->push_back(s.columns[c]);
  s.param_names = std::move(names);
  s.tasks.reserve(expected_rows);
}

TaskTableBuilder::~TaskTableBuilder() = default;

void TaskTableBuilder::add_row(std::vector<CellValue>& cells, int64_t line) {
  State& s = *state_;
  if (s.shape_error) return;
  if (cells.size() != s.columns.size()) {
    s.shape_error = Error{s.path + ":" + std::to_string(line) + ": row has " +
                          std::to_string(cells.size()) + " cells but the header has " +
                          std::to_string(s.columns.size()) + " columns"};
    return;
  }
  s.tasks.push_back(task_from_cells(s.columns, s.roles, s.param_names,
                                    static_cast<int64_t>(s.tasks.size()), cells, line, s.errors));
}

Result<std::vector<Task>> TaskTableBuilder::finish() && {
  if (state_->shape_error) return *state_->shape_error;
  if (!state_->errors.empty()) return state_->errors.error();
  assign_identities(state_->tasks);
  return std::move(state_->tasks);
}

namespace {

// Where row i came from; if a reader did not say, the header is line 1 and data follow it.
int64_t line_of(const RawTable& table, size_t row) {
  return row < table.source_rows.size() ? table.source_rows[row] : static_cast<int64_t>(row) + 2;
}

}  // namespace

Result<std::vector<Task>> tasks_from_table(const RawTable& table) {
  TaskTableBuilder builder(table.path, table.columns, table.rows.size());
  std::vector<CellValue> cells;
  for (size_t row = 0; row < table.rows.size(); ++row) {
    cells = table.rows[row];
    builder.add_row(cells, line_of(table, row));
  }
  return std::move(builder).finish();
}

Result<std::vector<Task>> take_tasks_from_table(RawTable& table) {
  TaskTableBuilder builder(table.path, table.columns, table.rows.size());
  for (size_t row = 0; row < table.rows.size(); ++row) {
    builder.add_row(table.rows[row], line_of(table, row));
    std::vector<CellValue>().swap(table.rows[row]);  // freed rows feed the next tasks
  }
  table.rows.clear();
  table.rows.shrink_to_fit();
  return std::move(builder).finish();
}

std::string placeholder_cmd_note(const std::vector<Task>& tasks) {
  int64_t count = 0;
  for (const Task& task : tasks) count += task.cmd_placeholder ? 1 : 0;
  if (count == 0) return "";
  return std::to_string(count) + (count == 1 ? " row has" : " rows have") + " cmd = '" +
         std::string(kOriginalNoCommand) +
         "' (the Python FlowLine's default): read as empty, so the template names the program";
}

std::string min_mem_text(const Task& task) {
  if (task.min_mem) return std::to_string(*task.min_mem);
  return task.min_mem_auto ? "auto" : "";
}

std::string timeout_seconds_text(int64_t timeout_ms) {
  std::string text = std::to_string(timeout_ms / 1000);
  int64_t frac = timeout_ms % 1000;
  if (frac < 0) frac = -frac;
  if (frac == 0) return text;
  std::string digits = std::to_string(1000 + frac).substr(1);  // zero-padded to 3 digits
  while (digits.back() == '0') digits.pop_back();
  return text + "." + digits;
}

}  // namespace flowline

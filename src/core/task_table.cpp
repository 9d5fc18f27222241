#include "core/task_table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
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
  explicit ErrorList(const RawTable& table) : table_(table) {}

  void add(size_t row, size_t col, const std::string& what) {
    ++count_;
    if (count_ > kMaxTableErrors) return;
    if (!text_.empty()) text_ += '\n';
    text_ += table_.path + ":" + std::to_string(source_row(row)) + ":" + std::to_string(col + 1) +
             ": column '" + table_.columns[col] + "': " + what;
  }
  void add_header(size_t col, const std::string& what) {
    ++count_;
    if (count_ > kMaxTableErrors) return;
    if (!text_.empty()) text_ += '\n';
    text_ += table_.path + ":1:" + std::to_string(col + 1) + ": " + what;
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
  int64_t source_row(size_t row) const {
    // Readers fill source_rows; if one did not, the header is line 1 and data follow it.
    return row < table_.source_rows.size() ? table_.source_rows[row]
                                           : static_cast<int64_t>(row) + 2;
  }
  const RawTable& table_;
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
                                      ErrorList& errors, size_t row, size_t col) {
  auto value = parse_whole_number(text);
  if (!value || *value < min) {
    errors.add(row, col, std::string("expected ") + expected + got(text));
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

void apply_reserved(Field field, std::string_view text, Task& task, ErrorList& errors, size_t row,
                    size_t col) {
  switch (field) {
    case Field::kName:
      task.name = std::string(text);
      break;
    case Field::kCmd:
      task.cmd = std::string(text);
      break;
    case Field::kRunNum:
      if (auto v =
              whole_at_least(text, 0, "a whole number of completed runs ≥ 0", errors, row, col)) {
        task.run_num = *v;
      }
      break;
    case Field::kNeedRunNum:
      if (auto v = whole_at_least(text, 0, "a whole number of wanted runs ≥ 0", errors, row, col)) {
        task.need_run_num = *v;
      }
      break;
    case Field::kGpus:
      if (auto v = whole_at_least(text, 0, "a whole number of GPUs ≥ 0 (0 = CPU only)", errors, row,
                                  col)) {
        if (*v <= kMaxGpusPerTask) {
          task.gpus = *v;
        } else {
          errors.add(row, col,
                     "at most " + std::to_string(kMaxGpusPerTask) + " GPUs per run" + got(text));
        }
      }
      break;
    case Field::kMinMem:
      if (auto v = whole_at_least(text, 0, "a whole number of MiB ≥ 0", errors, row, col)) {
        task.min_mem = *v;
      }
      break;
    case Field::kPriority:
      if (auto v = whole_at_least(text, std::numeric_limits<int64_t>::min(),
                                  "a whole number (higher runs first; may be negative)", errors,
                                  row, col)) {
        task.priority = *v;
      }
      break;
    case Field::kTimeout:
      if (auto ms = parse_timeout_ms(text)) {
        task.timeout_ms = *ms;
      } else {
        errors.add(row, col,
                   "expected a positive number of seconds (e.g. 3600 or 0.5)" + got(text));
      }
      break;
  }
}

void check_header(const RawTable& table, ErrorList& errors) {
  std::unordered_set<std::string> seen;
  for (size_t c = 0; c < table.columns.size(); ++c) {
    if (!seen.insert(table.columns[c]).second) {
      errors.add_header(c, "duplicate column '" + table.columns[c] + "'");
    }
  }
}

// `owned`, when given, is this row's storage: its cells are moved out and it is released as
// soon as the task is built, so freed rows feed the next tasks' allocations.
Task task_from_row(const RawTable& table, const std::vector<ColumnRole>& roles, size_t param_count,
                   size_t row, std::vector<CellValue>* owned, ErrorList& errors) {
  Task task;
  task.params.reserve(param_count);
  task.id = static_cast<int64_t>(row);
  const auto& cells = table.rows[row];
  std::optional<size_t> run_num_col;
  std::optional<size_t> need_col;
  const int64_t errors_before = errors.count();
  for (size_t c = 0; c < table.columns.size(); ++c) {
    const CellValue& cell = cells[c];
    if (!roles[c].reserved) {
      if (!cell) {
        task.params.emplace_back(table.columns[c], std::string());
      } else if (owned) {
        task.params.emplace_back(table.columns[c], std::move(*(*owned)[c]));
      } else {
        task.params.emplace_back(table.columns[c], *cell);
      }
      continue;
    }
    if (is_blank(cell)) continue;  // a blank reserved cell takes its default
    if (roles[c].field == Field::kRunNum) run_num_col = c;
    if (roles[c].field == Field::kNeedRunNum) need_col = c;
    if (owned && roles[c].field == Field::kName) {
      task.name = std::move(*(*owned)[c]);
    } else if (owned && roles[c].field == Field::kCmd) {
      task.cmd = std::move(*(*owned)[c]);
    } else {
      apply_reserved(roles[c].field, *cell, task, errors, row, c);
    }
  }
  if (task.name.empty()) task.name = "Task:" + std::to_string(row);
  if (owned) std::vector<CellValue>().swap(*owned);
  // Compare the counts only when this row's cells were all readable, so that one bad cell
  // does not produce a second, confusing error.
  if (errors.count() == errors_before && task.run_num > task.need_run_num) {
    const size_t col = run_num_col ? *run_num_col : need_col.value_or(0);
    errors.add(row, col,
               "run_num " + std::to_string(task.run_num) + " is more than need_run_num " +
                   std::to_string(task.need_run_num) + " (runs done cannot exceed runs wanted)");
  }
  return task;
}

}  // namespace

bool is_reserved_column(std::string_view column) {
  for (auto name : kReservedColumns) {
    if (name == column) return true;
  }
  return false;
}

namespace {

Result<std::vector<Task>> build_tasks(const RawTable& table,
                                      std::vector<std::vector<CellValue>>* owned_rows) {
  ErrorList errors(table);
  check_header(table, errors);
  const auto roles = column_roles(table.columns);
  const auto param_count = static_cast<size_t>(
      std::count_if(roles.begin(), roles.end(), [](const ColumnRole& r) { return !r.reserved; }));
  std::vector<Task> tasks;
  tasks.reserve(table.rows.size());
  for (size_t row = 0; row < table.rows.size(); ++row) {
    if (table.rows[row].size() != table.columns.size()) {
      // A reader promises rectangular rows; say so rather than read past the end.
      return Error{table.path + ":" +
                   std::to_string(row < table.source_rows.size() ? table.source_rows[row]
                                                                 : static_cast<int64_t>(row) + 2) +
                   ": row has " + std::to_string(table.rows[row].size()) + " cells but the " +
                   "header has " + std::to_string(table.columns.size()) + " columns"};
    }
    std::vector<CellValue>* owned = owned_rows ? &(*owned_rows)[row] : nullptr;
    tasks.push_back(task_from_row(table, roles, param_count, row, owned, errors));
  }
  if (!errors.empty()) return errors.error();
  return tasks;
}

}  // namespace

Result<std::vector<Task>> tasks_from_table(const RawTable& table) {
  return build_tasks(table, nullptr);
}

Result<std::vector<Task>> take_tasks_from_table(RawTable& table) {
  auto tasks = build_tasks(table, &table.rows);
  table.rows.clear();
  table.rows.shrink_to_fit();
  return tasks;
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

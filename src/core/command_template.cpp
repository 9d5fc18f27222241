#include "core/command_template.hpp"

#include <algorithm>

#include "core/shell_quote.hpp"
#include "core/task_table.hpp"

namespace flowline {
namespace {

// 1-based character column of byte `offset`, counting UTF-8 code points.
size_t char_column(std::string_view text, size_t offset) {
  size_t column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

Error template_error(std::string_view text, size_t offset, const std::string& what) {
  const size_t column = char_column(text, offset);
  std::string message = "command template, column " + std::to_string(column) + ": " + what;
  // The caret line only lines up when the template is one line; show it for that case.
  if (text.find('\n') == std::string_view::npos) {
    message += "\n  " + std::string(text) + "\n  " + std::string(column - 1, ' ') + "^";
  }
  return Error{message};
}

std::string known_placeholders(const std::vector<std::string>& columns) {
  std::string list = "{args}, {cmd}, {name}, {gpu}, {gpus}, {task_id}, {run}";
  for (auto reserved : kReservedColumns) {
    if (reserved != "name" && reserved != "cmd" && reserved != "gpus") {
      list += ", {" + std::string(reserved) + "}";
    }
  }
  for (const auto& column : columns) {
    if (!is_reserved_column(column)) list += ", {" + column + "}";
  }
  return list + "; write {{ and }} for literal braces";
}

void append_gpu_list(std::string& out, const std::vector<int>& gpus, size_t count) {
  if (count == 0) {
    out += "''";  // keep the argument position for a CPU-only run
    return;
  }
  for (size_t i = 0; i < count; ++i) {
    if (i) out += ',';
    out += std::to_string(gpus[i]);
  }
}

void append_args(std::string& out, const Task& task) {
  bool first = true;
  for (const auto& [key, value] : task.params) {
    if (value.empty()) continue;
    if (!first) out += ' ';
    first = false;
    out += "--";
    append_shell_quoted(out, key);
    out += ' ';
    append_shell_quoted(out, value);
  }
}

// A reserved column's value as text; blank optional values are "".
std::string reserved_value(const Task& task, std::string_view column) {
  if (column == "run_num") return std::to_string(task.run_num);
  if (column == "need_run_num") return std::to_string(task.need_run_num);
  if (column == "min_mem") return min_mem_text(task);
  if (column == "priority") return std::to_string(task.priority);
  if (column == "timeout") return task.timeout_ms ? timeout_seconds_text(*task.timeout_ms) : "";
  return "";
}

}  // namespace

Result<CommandTemplate> CommandTemplate::parse(std::string_view text,
                                               const std::vector<std::string>& columns) {
  static const std::pair<std::string_view, Kind> kBuiltins[] = {
      {"args", Kind::kArgs}, {"gpu", Kind::kGpu}, {"gpus", Kind::kGpus},
      {"name", Kind::kName}, {"cmd", Kind::kCmd}, {"task_id", Kind::kTaskId},
      {"run", Kind::kRun}};
  CommandTemplate result;
  result.text_ = std::string(text);
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) result.pieces_.push_back({Kind::kLiteral, std::move(literal)});
    literal.clear();
  };
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        literal += '}';
        i += 2;
        continue;
      }
      return template_error(text, i, "'}' without a matching '{' (write }} for a literal '}')");
    }
    if (c != '{') {
      literal += c;
      ++i;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      i += 2;
      continue;
    }
    const size_t close = text.find_first_of("{}", i + 1);
    if (close == std::string_view::npos || text[close] == '{') {
      return template_error(text, i, "'{' is never closed (write {{ for a literal '{')");
    }
    const std::string_view name = text.substr(i + 1, close - i - 1);
    if (name.empty()) {
      return template_error(text, i,
                            "empty placeholder '{}'; known: " + known_placeholders(columns));
    }
    flush();
    const auto builtin = std::find_if(std::begin(kBuiltins), std::end(kBuiltins),
                                      [&](const auto& b) { return b.first == name; });
    if (builtin != std::end(kBuiltins)) {
      result.pieces_.push_back({builtin->second, {}});
    } else if (is_reserved_column(name) ||
               std::find(columns.begin(), columns.end(), name) != columns.end()) {
      result.pieces_.push_back({Kind::kColumn, std::string(name)});
    } else {
      return template_error(text, i,
                            "unknown placeholder '{" + std::string(name) +
                                "}'; known: " + known_placeholders(columns));
    }
    i = close + 1;
  }
  flush();
  return result;
}

void CommandTemplate::append_piece(std::string& out, const Piece& piece, const Task& task,
                                   const std::vector<int>& gpus, int64_t run) const {
  switch (piece.kind) {
    case Kind::kLiteral:
      out += piece.text;
      break;
    case Kind::kArgs:
      append_args(out, task);
      break;
    case Kind::kCmd:
      out += task.cmd;
      break;
    case Kind::kName:
      append_shell_quoted(out, task.name);
      break;
    case Kind::kGpu:
      append_gpu_list(out, gpus, gpus.empty() ? 0 : 1);
      break;
    case Kind::kGpus:
      append_gpu_list(out, gpus, gpus.size());
      break;
    case Kind::kTaskId:
      out += std::to_string(task.id);
      break;
    case Kind::kRun:
      out += std::to_string(run);
      break;
    case Kind::kColumn: {
      if (const std::optional<std::string_view> value = task.params.find(piece.text)) {
        append_shell_quoted(out, *value);
        return;
      }
      append_shell_quoted(out, reserved_value(task, piece.text));
      break;
    }
  }
}

std::string CommandTemplate::expand(const Task& task, const std::vector<int>& gpus,
                                    int64_t run) const {
  std::string out;
  bool previous_empty = false;  // the last piece was {cmd}/{args} and gave nothing
  for (const auto& piece : pieces_) {
    const size_t before = out.size();
    if (piece.kind == Kind::kLiteral && previous_empty && piece.text.front() == ' ' &&
        (out.empty() || out.back() == ' ')) {
      out.append(piece.text, 1);  // the empty placeholder takes one space with it
    } else {
      append_piece(out, piece, task, gpus, run);
    }
    previous_empty = piece.kind != Kind::kLiteral && out.size() == before;
  }
  if (previous_empty && !out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace flowline

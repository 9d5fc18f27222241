#include "table/json_writer.hpp"

#include <algorithm>

#include "table/atomic_file.hpp"
#include "table/edit_list.hpp"
#include "table/file_io.hpp"
#include "table/json_reader.hpp"
#include "table/update_plan.hpp"

namespace flowline {
namespace {

std::string json_string(std::string_view value) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

// A value keeps its JSON type: a string stays a string; otherwise numbers are written bare.
std::string encode_value(std::string_view value, bool was_string) {
  if (!was_string && is_json_number(value)) return std::string(value);
  return json_string(value);
}

// `,\n    "key": value` in the layout of the object's last member.
std::string member_prefix(std::string_view text, const JsonElementSpan& element) {
  if (element.values.empty()) return "";
  const JsonValueSpan& last = element.values.back();
  const std::string_view after = text.substr(last.end, element.close - last.end);
  if (after.find('\n') == std::string_view::npos) {
    return last.begin > 0 && text[last.begin - 1] == ':' ? "," : ", ";  // compact stays compact
  }
  const size_t line_start = text.rfind('\n', last.begin);
  size_t indent_end = line_start + 1;
  while (indent_end < text.size() && (text[indent_end] == ' ' || text[indent_end] == '\t')) {
    ++indent_end;
  }
  return ",\n" + std::string(text.substr(line_start + 1, indent_end - line_start - 1));
}

std::string key_separator(std::string_view text, const JsonElementSpan& element) {
  if (element.values.empty()) return ": ";
  const size_t begin = element.values.back().begin;
  return begin > 0 && text[begin - 1] == ':' ? ":" : ": ";
}

void edit_element(std::string_view text, const JsonElementSpan& element,
                  const std::vector<std::string>& columns,
                  const std::map<size_t, std::string>& values, std::vector<TextEdit>& edits) {
  std::string appended;
  for (const auto& [column, value] : values) {
    const JsonValueSpan* found = nullptr;
    for (const JsonValueSpan& v : element.values) {
      if (v.column == column) found = &v;
    }
    if (found != nullptr) {
      edits.push_back({found->begin, found->end, encode_value(value, found->is_string)});
      continue;
    }
    appended += appended.empty() ? member_prefix(text, element) : ", ";
    appended +=
        json_string(columns[column]) + key_separator(text, element) + encode_value(value, false);
  }
  if (appended.empty()) return;
  const size_t at = element.values.empty() ? element.close : element.values.back().end;
  edits.push_back({at, at, std::move(appended)});
}

}  // namespace

bool is_json_number(std::string_view t) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > start;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

Result<std::string> apply_json_updates(std::string_view text, const std::string& path,
                                       const std::vector<CellUpdate>& updates) {
  Result<JsonDocument> doc = parse_json_document(text, path);
  if (!doc.ok()) return doc.error();
  Result<UpdatePlan> plan =
      plan_updates(path, doc->table.columns, static_cast<int64_t>(doc->table.rows.size()), updates);
  if (!plan.ok()) return plan.error();
  std::vector<std::string> columns = doc->table.columns;
  columns.insert(columns.end(), plan->new_columns.begin(), plan->new_columns.end());
  std::vector<TextEdit> edits;
  for (const auto& [row, values] : plan->rows) {
    std::vector<TextEdit> element_edits;
    edit_element(text, doc->elements[static_cast<size_t>(row)], columns, values, element_edits);
    std::stable_sort(element_edits.begin(), element_edits.end(),
                     [](const TextEdit& a, const TextEdit& b) { return a.begin < b.begin; });
    edits.insert(edits.end(), element_edits.begin(), element_edits.end());
  }
  return apply_edits(text, edits);
}

Status write_json_cells(const std::string& path, const std::vector<CellUpdate>& updates) {
  Result<std::string> text = read_whole_file(path);
  if (!text.ok()) return text.error();
  Result<std::string> updated = apply_json_updates(*text, path, updates);
  if (!updated.ok()) return updated.error();
  return write_file_atomically(path, *updated);
}

}  // namespace flowline

#include "table/csv_writer.hpp"

#include "table/atomic_file.hpp"
#include "table/csv_reader.hpp"
#include "table/edit_list.hpp"
#include "table/file_io.hpp"
#include "table/update_plan.hpp"

namespace flowline {
namespace {

std::string encode_field(std::string_view value, const CsvLayout& layout, bool was_quoted) {
  const bool needs_quotes =
      value.find_first_of(std::string{layout.delimiter, '"', '\r', '\n'}) != std::string_view::npos;
  if (value.empty() || !(needs_quotes || was_quoted || layout.quote_all)) {
    return std::string(value);
  }
  std::string out = "\"";
  for (const char c : value) {
    out += c;
    if (c == '"') out += '"';
  }
  out += '"';
  return out;
}

// The fields past the end of a record: padding, then values, up to the last new column.
std::string tail_fields(size_t have, size_t width, const std::map<size_t, std::string>& values,
                        const CsvLayout& layout) {
  std::string out;
  for (size_t i = have; i < width; ++i) {
    out += layout.delimiter;
    const auto it = values.find(i);
    if (it != values.end()) out += encode_field(it->second, layout, false);
  }
  return out;
}

void edit_record(std::string_view text, const CsvLayout& layout, const CsvRecordSpan& record,
                 const std::map<size_t, std::string>& values, size_t pad_to,
                 std::vector<TextEdit>& edits) {
  std::vector<CsvFieldSpan> fields;
  CsvRecordSpan again;
  scan_csv_record(text, record.begin, record.line, layout.delimiter, again,
                  [&](const CsvFieldSpan& f) { fields.push_back(f); });
  std::map<size_t, std::string> beyond;
  for (const auto& [column, value] : values) {
    if (column < fields.size()) {
      const CsvFieldSpan& f = fields[column];
      edits.push_back({f.begin, f.end, encode_field(value, layout, f.quoted)});
    } else {
      beyond.emplace(column, value);
    }
  }
  const size_t target_width =
      beyond.empty() ? pad_to : std::max(pad_to, beyond.rbegin()->first + 1);
  if (fields.size() < target_width) {
    edits.push_back(
        {record.end, record.end, tail_fields(fields.size(), target_width, beyond, layout)});
  }
}

}  // namespace

Result<std::string> apply_csv_updates(std::string_view text, const std::string& path,
                                      const std::vector<CellUpdate>& updates) {
  Result<CsvDocument> doc = parse_csv_document(text, path, CsvValues::kSkip);
  if (!doc.ok()) return doc.error();
  Result<UpdatePlan> plan =
      plan_updates(path, doc->table.columns, static_cast<int64_t>(doc->records.size()), updates);
  if (!plan.ok()) return plan.error();
  const CsvLayout& layout = doc->layout;
  const size_t old_width = doc->table.columns.size();
  const size_t new_width = old_width + plan->new_columns.size();
  std::vector<TextEdit> edits;
  if (!plan->new_columns.empty()) {
    std::map<size_t, std::string> names;
    for (size_t k = 0; k < plan->new_columns.size(); ++k) {
      names.emplace(old_width + k, plan->new_columns[k]);
    }
    CsvLayout header_layout = layout;
    header_layout.quote_all = layout.quote_header;
    edits.push_back({doc->header.end, doc->header.end,
                     tail_fields(doc->header.fields, new_width, names, header_layout)});
  }
  static const std::map<size_t, std::string> kNoValues;
  for (size_t i = 0; i < doc->records.size(); ++i) {
    const CsvRecordSpan& record = doc->records[i];
    const auto it = plan->rows.find(static_cast<int64_t>(i));
    if (it != plan->rows.end()) {
      edit_record(text, layout, record, it->second, new_width > old_width ? new_width : 0, edits);
    } else if (new_width > old_width) {
      // Only a new column: pad this record so later fields line up.
      edits.push_back(
          {record.end, record.end,
           tail_fields(std::min(record.fields, old_width), new_width, kNoValues, layout)});
    }
  }
  return apply_edits(text, edits);
}

Status write_csv_cells(const std::string& path, const std::vector<CellUpdate>& updates) {
  Result<std::string> text = read_whole_file(path);
  if (!text.ok()) return text.error();
  Result<std::string> updated = apply_csv_updates(*text, path, updates);
  if (!updated.ok()) return updated.error();
  return write_file_atomically(path, *updated);
}

}  // namespace flowline

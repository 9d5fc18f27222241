#include "table/csv_reader.hpp"

#include <unordered_map>

#include "core/utf8.hpp"
#include "table/file_io.hpp"
#include "table/table_error.hpp"

namespace flowline {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Counts candidate delimiters outside quotes on the first line.
char detect_delimiter(std::string_view text) {
  size_t counts[3] = {0, 0, 0};
  const char candidates[3] = {',', ';', '\t'};
  bool quoted = false;
  for (const char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    for (int k = 0; k < 3; ++k) counts[k] += c == candidates[k];
  }
  int best = 0;
  for (int k = 1; k < 3; ++k) {
    if (counts[k] > counts[best]) best = k;
  }
  return candidates[best];
}

std::string detect_eol(std::string_view text, const CsvRecordSpan& header) {
  if (header.end >= text.size()) return "\n";
  if (text[header.end] == '\r') {
    return header.end + 1 < text.size() && text[header.end + 1] == '\n' ? "\r\n" : "\r";
  }
  return "\n";
}

Error scan_error(const std::string& path, const CsvScanProblem& problem,
                 const std::vector<std::string>& columns) {
  const std::string_view name =
      problem.field < columns.size() ? std::string_view(columns[problem.field]) : "";
  return cell_error(path, problem.line, static_cast<int64_t>(problem.field) + 1, name,
                    problem.message);
}

Status parse_header(std::string_view text, const std::string& path, CsvDocument& doc, size_t pos) {
  std::vector<CsvFieldSpan> fields;
  const CsvScanProblem problem =
      scan_csv_record(text, pos, 1, doc.layout.delimiter, doc.header,
                      [&](const CsvFieldSpan& f) { fields.push_back(f); });
  if (problem.message != nullptr) return scan_error(path, problem, {});
  doc.layout.quote_header = true;
  std::unordered_map<std::string, size_t> seen;
  for (size_t i = 0; i < fields.size(); ++i) {
    doc.layout.quote_header = doc.layout.quote_header && fields[i].quoted;
    std::string name;
    decode_csv_field(text, fields[i], name);
    if (!is_valid_utf8(name)) {
      return cell_error(path, 1, static_cast<int64_t>(i) + 1, "", "header name is not valid UTF-8");
    }
    if (name.empty())
      return cell_error(path, 1, static_cast<int64_t>(i) + 1, "", "empty column name");
    const auto [it, fresh] = seen.emplace(name, i);
    if (!fresh) {
      return cell_error(
          path, 1, static_cast<int64_t>(i) + 1, name,
          "duplicate column name (also column " + std::to_string(it->second + 1) + ")");
    }
    doc.table.columns.push_back(std::move(name));
  }
  doc.layout.eol = detect_eol(text, doc.header);
  return ok_status();
}

// Parses one data record into `row`; returns false (with no error) for an all-blank record.
Result<bool> parse_record(std::string_view text, const std::string& path, CsvDocument& doc,
                          size_t pos, int64_t line, bool keep, std::vector<CellValue>& row,
                          CsvRecordSpan& record) {
  const std::vector<std::string>& columns = doc.table.columns;
  const size_t width = columns.size();
  if (keep) row.assign(width, std::nullopt);
  size_t index = 0;
  bool any = false;
  bool all_quoted = true;
  const char* problem_text = nullptr;
  size_t problem_field = 0;
  const CsvScanProblem problem =
      scan_csv_record(text, pos, line, doc.layout.delimiter, record, [&](const CsvFieldSpan& f) {
        const size_t i = index++;
        if (problem_text != nullptr || f.end - f.begin == (f.quoted ? 2u : 0u)) return;
        if (!f.quoted) all_quoted = false;
        if (i >= width) {
          problem_text = "more fields than the header has columns";
          problem_field = i;
          return;
        }
        // `""` decodes to `"`, so the raw bytes are valid UTF-8 exactly when the value is.
        if (!is_valid_utf8(csv_field_raw_inner(text, f))) {
          problem_text = "invalid UTF-8";
          problem_field = i;
          return;
        }
        any = true;
        if (!keep) return;
        std::string value;
        decode_csv_field(text, f, value);
        row[i] = std::move(value);
      });
  if (problem.message != nullptr) return scan_error(path, problem, columns);
  if (problem_text != nullptr) {
    const std::string_view name =
        problem_field < width ? std::string_view(columns[problem_field]) : "";
    std::string message = problem_text;
    if (problem_field >= width) {
      message +=
          " (" + std::to_string(index) + " fields, header has " + std::to_string(width) + ")";
    }
    return cell_error(path, line, static_cast<int64_t>(problem_field) + 1, name, message);
  }
  if (any && doc.records.empty()) doc.layout.quote_all = doc.layout.quote_header && all_quoted;
  return any;
}

}  // namespace

Result<CsvDocument> parse_csv_document(std::string_view text, const std::string& path,
                                       CsvValues values, const CsvRowSink* sink) {
  const bool keep = values == CsvValues::kKeep || sink != nullptr;
  CsvDocument doc;
  doc.table.path = path;
  doc.table.format = TableFormat::kCsv;
  size_t pos = 0;
  if (text.substr(0, kBom.size()) == kBom) pos = doc.layout.bom_size = kBom.size();
  if (pos == text.size()) return file_error(path, "empty file: a CSV table needs a header line");
  doc.layout.delimiter = detect_delimiter(text.substr(pos));
  if (Status s = parse_header(text, path, doc, pos); !s.ok()) return s.error();
  pos = doc.header.next;
  int64_t line = doc.header.next_line;
  std::vector<CellValue> row;
  while (pos < text.size()) {
    CsvRecordSpan record;
    Result<bool> parsed = parse_record(text, path, doc, pos, line, keep, row, record);
    if (!parsed.ok()) return parsed.error();
    if (*parsed && sink) {
      (*sink)(doc.table, row, record.line);
    } else if (*parsed) {
      if (keep) doc.table.rows.push_back(std::move(row));
      doc.table.source_rows.push_back(record.line);
      doc.records.push_back(record);
    }
    pos = record.next;
    line = record.next_line;
  }
  return doc;
}

Result<RawTable> parse_csv(std::string_view text, const std::string& path) {
  Result<CsvDocument> doc = parse_csv_document(text, path);
  if (!doc.ok()) return doc.error();
  return std::move(doc->table);
}

Result<RawTable> read_csv(const std::string& path) {
  Result<std::string> text = read_whole_file(path);
  if (!text.ok()) return text.error();
  return parse_csv(*text, path);
}

}  // namespace flowline

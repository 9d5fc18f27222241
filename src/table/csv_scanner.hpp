#pragma once
// RFC 4180 record scanning shared by the CSV reader and writer: it reports byte spans, so
// the reader can decode values and the writer can splice one field without touching others.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace flowline {

struct CsvFieldSpan {
  size_t begin = 0;  // raw bytes, including the surrounding quotes when quoted
  size_t end = 0;
  bool quoted = false;
  bool has_doubled_quote = false;  // `""` inside a quoted field
};

struct CsvRecordSpan {
  size_t begin = 0;
  size_t end = 0;    // end of the last field, before the line ending
  size_t next = 0;   // start of the next record
  int64_t line = 0;  // 1-based line where the record starts
  int64_t next_line = 0;
  size_t fields = 0;  // number of fields in the record
};

struct CsvScanProblem {
  const char* message = nullptr;  // nullptr: no problem
  int64_t line = 0;
  size_t field = 0;  // 0-based field index in the record
};

// Scans one record starting at `pos` (on `line`); calls on_field(const CsvFieldSpan&) for
// every field in order.
template <class OnField>
CsvScanProblem scan_csv_record(std::string_view text, size_t pos, int64_t line, char delim,
                               CsvRecordSpan& record, OnField&& on_field) {
  record.begin = pos;
  record.line = line;
  size_t field_index = 0;
  const size_t n = text.size();
  while (true) {
    CsvFieldSpan field;
    field.begin = pos;
    if (pos < n && text[pos] == '"') {
      field.quoted = true;
      const int64_t open_line = line;
      ++pos;
      while (true) {
        if (pos >= n)
          return {"unterminated quoted field (the quote opens here)", open_line, field_index};
        const char c = text[pos];
        if (c == '"') {
          if (pos + 1 < n && text[pos + 1] == '"') {
            field.has_doubled_quote = true;
            pos += 2;
            continue;
          }
          ++pos;
          break;
        }
        if (c == '\n' || (c == '\r' && (pos + 1 >= n || text[pos + 1] != '\n'))) ++line;
        ++pos;
      }
      if (pos < n && text[pos] != delim && text[pos] != '\n' && text[pos] != '\r') {
        return {
            "unexpected character after a closing quote (a quote inside a quoted field "
            "must be doubled)",
            line, field_index};
      }
    } else {
      while (pos < n && text[pos] != delim && text[pos] != '\n' && text[pos] != '\r') ++pos;
    }
    field.end = pos;
    on_field(field);
    ++field_index;
    if (pos < n && text[pos] == delim) {
      ++pos;
      continue;
    }
    record.end = pos;
    record.fields = field_index;
    if (pos < n && text[pos] == '\r') ++pos;
    if (pos < n && text[pos] == '\n') ++pos;
    record.next = pos;
    record.next_line = pos > record.end ? line + 1 : line;
    return {};
  }
}

// The decoded value of a field (quotes removed, `""` made `"`).
inline std::string_view csv_field_raw_inner(std::string_view text, const CsvFieldSpan& f) {
  if (!f.quoted) return text.substr(f.begin, f.end - f.begin);
  return text.substr(f.begin + 1, f.end - f.begin - 2);
}

void decode_csv_field(std::string_view text, const CsvFieldSpan& field, std::string& out);

}  // namespace flowline

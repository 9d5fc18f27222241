#pragma once
// CSV tables (RFC 4180). Conventions, shared with the other formats:
// - The first record is the header; names must be non-empty and unique.
// - An empty field, quoted (`""`) or not, is a blank cell (nullopt).
// - Records with every field blank (e.g. an empty line, or `,,,` from a spreadsheet) are
//   skipped; source_rows keeps the real line numbers of the others.
// - A record with fewer fields than the header has blanks at the end; one with more is an
//   error.
// - Delimiter: `,` `;` or TAB, whichever the header line uses most (`,` on a tie or none).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/table_model.hpp"
#include "table/csv_scanner.hpp"

namespace flowline {

struct CsvLayout {
  char delimiter = ',';
  std::string eol = "\n";     // first line ending in the file; CRLF, LF or CR
  size_t bom_size = 0;        // 3 when the file starts with a UTF-8 byte order mark
  bool quote_header = false;  // every header field was quoted: a new column name is too
  // ... and so was every non-empty field of the first record: new values are quoted too
  // (LibreOffice quotes only text, so its files get bare numbers).
  bool quote_all = false;
};

struct CsvDocument {
  RawTable table;
  CsvLayout layout;
  CsvRecordSpan header;
  std::vector<CsvRecordSpan> records;  // one per table row, same order
};

// kSkip checks everything but stores no cell values (table.rows stays empty; records is
// filled): the writer needs only the layout and spans.
enum class CsvValues { kKeep, kSkip };
// Given a sink, each row goes to it as soon as it is read (with the table's header and the
// row's 1-based line) and is not stored: table.rows, source_rows and records stay empty.
// The sink may move the cells out.
using CsvRowSink =
    std::function<void(const RawTable& header, std::vector<CellValue>& row, int64_t line)>;
Result<CsvDocument> parse_csv_document(std::string_view text, const std::string& path,
                                       CsvValues values = CsvValues::kKeep,
                                       const CsvRowSink* sink = nullptr);
Result<RawTable> parse_csv(std::string_view text, const std::string& path);
Result<RawTable> read_csv(const std::string& path);

}  // namespace flowline

#include "table/row_append.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_set>

#include "core/utf8.hpp"
#include "table/atomic_file.hpp"
#include "table/csv_reader.hpp"
#include "table/edit_list.hpp"
#include "table/file_io.hpp"
#include "table/file_signature.hpp"
#include "table/json_reader.hpp"
#include "table/json_writer.hpp"
#include "table/table_error.hpp"
#include "table/xlsx_reader.hpp"
#include "table/xlsx_sheet_walker.hpp"
#include "table/xlsx_values.hpp"
#include "table/xml_scanner.hpp"
#include "table/zip_rewrite.hpp"

namespace flowline {
namespace {

// Header position -> the non-empty text for it; empty texts are blanks and never stored.
using RowValues = std::map<size_t, std::string>;

std::optional<TableFormat> format_by_extension(std::string_view path) {
  const size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos) {
    return std::nullopt;
  }
  std::string ext(path.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "csv") return TableFormat::kCsv;
  if (ext == "json") return TableFormat::kJson;
  if (ext == "xlsx") return TableFormat::kXlsx;
  return std::nullopt;
}

// What every format refuses before looking at the file: the same `add` must fail the same
// way whatever the table's format.
Status check_cells(const std::string& path, const NewRowCells& cells) {
  std::unordered_set<std::string_view> seen;
  bool any_value = false;
  for (const auto& [column, value] : cells) {
    if (column.empty()) return file_error(path, "a column name is empty; write COLUMN=VALUE");
    if (!seen.insert(column).second) {
      return file_error(path, "column \"" + column + "\" is given twice; give each column once");
    }
    if (!is_valid_utf8(column) || !is_valid_utf8(value)) {
      return file_error(path, "the text for column \"" + column + "\" is not valid UTF-8");
    }
    any_value = any_value || !value.empty();
  }
  if (!any_value) {
    return file_error(path,
                      "the new row has no value; give at least one column a value (a row "
                      "with every cell blank is not a task)");
  }
  return ok_status();
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// Places each text under its header column; a column the header lacks is refused, since
// writing it would mean changing the header of a file the user owns.
Result<RowValues> place_cells(const std::string& path, const std::vector<std::string>& columns,
                              const NewRowCells& cells) {
  RowValues values;
  for (const auto& [column, value] : cells) {
    const auto it = std::find(columns.begin(), columns.end(), column);
    if (it == columns.end()) {
      return file_error(path, "the table has no column \"" + column + "\" (its columns: " +
                                  joined(columns) + "); add the column to the file first");
    }
    if (!value.empty()) values.emplace(static_cast<size_t>(it - columns.begin()), value);
  }
  return values;
}

// ---- CSV ----

std::string csv_field(std::string_view value, const CsvLayout& layout) {
  if (value.empty()) return "";
  // Leading and trailing spaces are quoted too: some tools trim unquoted fields.
  const bool needs_quotes =
      value.find_first_of(std::string{layout.delimiter, '"', '\r', '\n'}) != std::string::npos ||
      value.front() == ' ' || value.back() == ' ';
  if (!needs_quotes && !layout.quote_all) return std::string(value);
  std::string out = "\"";
  for (const char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

Result<std::string> append_csv_row(std::string_view text, const std::string& path,
                                   const NewRowCells& cells) {
  Result<CsvDocument> doc = parse_csv_document(text, path, CsvValues::kSkip);
  if (!doc.ok()) return doc.error();
  Result<RowValues> values = place_cells(path, doc->table.columns, cells);
  if (!values.ok()) return values.error();
  const CsvLayout& layout = doc->layout;
  std::string record;
  for (size_t i = 0; i < doc->table.columns.size(); ++i) {
    if (i > 0) record += layout.delimiter;
    const auto it = values->find(i);
    if (it != values->end()) record += csv_field(it->second, layout);
  }
  // After the last record, before any blank lines that follow it.
  const CsvRecordSpan& last = doc->records.empty() ? doc->header : doc->records.back();
  const bool unterminated = last.next == last.end;
  std::string insert = (unterminated ? layout.eol : "") + record + layout.eol;
  return apply_edits(text, {{last.next, last.next, std::move(insert)}});
}

// ---- JSON ----

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view space_before(std::string_view text, size_t pos) {
  size_t begin = pos;
  while (begin > 0 && is_space(text[begin - 1])) --begin;
  return text.substr(begin, pos - begin);
}

std::string_view space_after(std::string_view text, size_t pos) {
  size_t end = pos;
  while (end < text.size() && is_space(text[end])) ++end;
  return text.substr(pos, end - pos);
}

bool has_newline(std::string_view s) { return s.find('\n') != std::string_view::npos; }

// The whitespace of the previous element, so the new one looks like its neighbours: one
// element per line stays so, an indented object is indented the same, compact stays compact.
struct JsonStyle {
  std::string before_element = "";  // after the `,` (or `[`) that precedes an element
  std::string open = "";            // between `{` and the first key
  std::string between = " ";        // after the `,` between members
  std::string colon = ": ";         // between a key and its value, `:` included
  std::string close = "";           // between the last value and `}`
};

// The member layout of one object: its indentation, spacing and separators.
void copy_member_style(std::string_view text, const JsonElementSpan& element, JsonStyle& style) {
  if (element.values.empty()) return;  // `{}` shows none: keep the defaults
  const JsonValueSpan& first = element.values.front();
  style.open = space_after(text, element.open + 1);
  const size_t colon_end = first.begin - space_before(text, first.begin).size();
  const size_t colon_begin = colon_end - 1 - space_before(text, colon_end - 1).size();
  style.colon = text.substr(colon_begin, first.begin - colon_begin);
  style.close = space_before(text, element.close);
  if (element.values.size() > 1) {
    const size_t comma = first.end + space_after(text, first.end).size();
    style.between = space_after(text, comma + 1);
  } else if (!style.open.empty()) {
    style.between = style.open;  // `{ "a": 1 }` or one member per line
  } else {
    style.between = style.colon.back() == ':' ? "" : " ";  // `{"a":1}` or `{"a": 1}`
  }
}

JsonStyle style_of_last(std::string_view text, const JsonDocument& doc) {
  JsonStyle style;
  const JsonElementSpan& last = doc.elements.back();
  copy_member_style(text, last, style);
  style.before_element = space_before(text, last.open);
  // A lone element written `[{...}]` gives no separator to copy; match its members.
  if (doc.elements.size() == 1 && !has_newline(style.before_element)) {
    style.before_element = style.between.empty() || has_newline(style.between) ? "" : " ";
  }
  return style;
}

std::string json_text(std::string_view value) {
  return nlohmann::json(std::string(value)).dump();  // valid UTF-8: checked in check_cells
}

// Numbers and booleans keep their JSON type, as the reader gives them back as the same text.
std::string json_value(std::string_view value) {
  if (is_json_number(value) || value == "true" || value == "false") return std::string(value);
  return json_text(value);
}

std::string json_object(const std::vector<std::string>& columns, const RowValues& values,
                        const JsonStyle& style) {
  std::string out = "{" + style.open;
  bool first = true;
  for (const auto& [index, value] : values) {
    if (!first) out += "," + style.between;
    first = false;
    out += json_text(columns[index]) + style.colon + json_value(value);
  }
  return out + style.close + "}";
}

Result<std::string> append_json_row(std::string_view text, const std::string& path,
                                    const NewRowCells& cells) {
  Result<JsonDocument> doc = parse_json_document(text, path);
  if (!doc.ok()) return doc.error();
  std::vector<std::string> columns = doc->table.columns;
  // `[]` (or only `{}`s) has no header yet: the new row's columns become it.
  if (columns.empty()) {
    for (const auto& [column, value] : cells) columns.push_back(column);
  }
  Result<RowValues> values = place_cells(path, columns, cells);
  if (!values.ok()) return values.error();
  if (!doc->elements.empty()) {
    const size_t at = doc->elements.back().close + 1;
    const JsonStyle style = style_of_last(text, *doc);
    return apply_edits(
        text, {{at, at, "," + style.before_element + json_object(columns, *values, style)}});
  }
  const size_t open = text.find('[');  // the parser found it: only a BOM and spaces precede it
  const std::string_view inside = space_after(text, open + 1);
  const JsonStyle style;
  std::string element = json_object(columns, *values, style);
  if (has_newline(inside)) {
    element = (inside.find('\r') != std::string_view::npos ? "\r\n  " : "\n  ") + element;
  }
  return apply_edits(text, {{open + 1, open + 1, std::move(element)}});
}

// ---- XLSX ----

// Finds where the new row goes: the row after the last one with a value. A row element may
// already stand there (a height or style with no value), or rows may follow (formatting
// far below): the new row must keep the rows in order and never repeat a number.
class RowSlot : public SheetVisitor {
 public:
  struct Cell {
    int64_t column;
    size_t begin;
    size_t end;
    std::optional<std::string_view> style;
  };

  explicit RowSlot(int64_t number) : number_(number) {}

  Status on_row_start(const SheetRow& row) override {
    if (row.number > number_ && !next_row_start_) next_row_start_ = row.start_begin;
    return ok_status();
  }
  Status on_cell(const SheetCell& cell) override {
    if (cell.row == number_) cells_.push_back({cell.column, cell.begin, cell.end, cell.style});
    return ok_status();
  }
  Status on_row_end(const SheetRow& row) override {
    if (row.number == number_) existing_ = row;
    if (row.number < number_) last_row_ = row;
    return ok_status();
  }

  const std::optional<SheetRow>& existing() const { return existing_; }
  const std::vector<Cell>& cells() const { return cells_; }
  // Where a new row element goes when none exists with the number.
  size_t insert_at(std::string_view xml) const {
    if (next_row_start_) return *next_row_start_;
    return last_row_.self_closing ? last_row_.start_end : xml.find('>', last_row_.end_begin) + 1;
  }

 private:
  int64_t number_;
  std::optional<SheetRow> existing_;
  std::vector<Cell> cells_;
  std::optional<size_t> next_row_start_;
  SheetRow last_row_;  // the header at least precedes the slot
};

Status check_xml_text(const std::string& path, const NewRowCells& cells) {
  for (const auto& [column, value] : cells) {
    for (const char c : value) {
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return file_error(path, "the text for column \"" + column +
                                    "\" holds a control character, which a spreadsheet "
                                    "cannot store");
      }
    }
  }
  return ok_status();
}

// A number only when the reader gives back this very text (`0.10` would come back `0.1`).
bool is_exact_number(std::string_view value) {
  if (!is_json_number(value)) return false;
  const std::optional<std::string> shown = format_xlsx_number(value);
  return shown && *shown == value;
}

std::string new_cell(const std::string& p, const std::string& ref,
                     std::optional<std::string_view> style, const std::string& value) {
  std::string out = "<" + p + "c r=\"" + ref + "\"";
  if (style) out += " s=\"" + std::string(*style) + "\"";
  if (is_exact_number(value)) return out + "><" + p + "v>" + value + "</" + p + "v></" + p + "c>";
  return out + " t=\"inlineStr\"><" + p + "is><" + p + "t xml:space=\"preserve\">" +
         escape_xml(value) + "</" + p + "t></" + p + "is></" + p + "c>";
}

// The row's cells, the new values merged among the empty cells already there (whose
// styles the new values keep).
std::string row_cells(std::string_view xml, const std::string& prefix, int64_t number,
                      const std::map<int64_t, std::string>& values,
                      const std::vector<RowSlot::Cell>& old_cells) {
  std::string out;
  auto old = old_cells.begin();
  for (const auto& [column, value] : values) {
    for (; old != old_cells.end() && old->column < column; ++old) {
      out += xml.substr(old->begin, old->end - old->begin);
    }
    std::optional<std::string_view> style;
    if (old != old_cells.end() && old->column == column) style = (old++)->style;
    out += new_cell(prefix, cell_name(column, number), style, value);
  }
  for (; old != old_cells.end(); ++old) out += xml.substr(old->begin, old->end - old->begin);
  return out;
}

TextEdit row_edit(std::string_view xml, const std::string& prefix, int64_t number,
                  const std::map<int64_t, std::string>& values, const RowSlot& slot) {
  const std::string end_tag = "</" + prefix + "row>";
  if (!slot.existing()) {
    const size_t at = slot.insert_at(xml);
    return {at, at,
            "<" + prefix + "row r=\"" + std::to_string(number) + "\">" +
                row_cells(xml, prefix, number, values, {}) + end_tag};
  }
  // The existing row keeps its attributes (height, style); its element is rewritten whole.
  const SheetRow& row = *slot.existing();
  std::string start(xml.substr(row.start_begin, row.start_end - row.start_begin));
  size_t end = row.start_end;
  if (row.self_closing) {  // <row r="5" ht="20"/> opens instead
    start.resize(start.size() - 2);
    while (!start.empty() && is_space(start.back())) start.pop_back();
    start += '>';
  } else {
    end = xml.find('>', row.end_begin) + 1;
  }
  return {row.start_begin, end,
          start + row_cells(xml, prefix, number, values, slot.cells()) + end_tag};
}

// <dimension ref="A1:F4"/> grows to take in the new row.
std::optional<TextEdit> dimension_edit(std::string_view xml, const SheetInfo& info,
                                       CellRef corner) {
  if (!info.dimension) return std::nullopt;
  const std::string& ref = info.dimension_ref;
  const size_t colon = ref.find(':');
  const std::string first = ref.substr(0, colon);
  const std::optional<CellRef> start = parse_cell_ref(first);
  const std::optional<CellRef> end =
      parse_cell_ref(colon == std::string::npos ? first : ref.substr(colon + 1));
  if (!start || !end) return std::nullopt;
  corner = {std::max(corner.column, end->column), std::max(corner.row, end->row)};
  if (corner.column == end->column && corner.row == end->row) return std::nullopt;
  const auto [begin, stop] = *info.dimension;
  std::string tag(xml.substr(begin, stop - begin));
  const size_t at = tag.find("\"" + ref + "\"");
  if (at == std::string::npos) return std::nullopt;
  tag.replace(at + 1, ref.size(), first + ":" + cell_name(corner.column, corner.row));
  return TextEdit{begin, stop, std::move(tag)};
}

Result<std::string> append_xlsx_row(std::string_view bytes, const std::string& path,
                                    const NewRowCells& cells) {
  if (Status s = check_xml_text(path, cells); !s.ok()) return s.error();
  Result<XlsxDocument> doc = parse_xlsx_document(bytes, path, XlsxCells::kLayoutOnly);
  if (!doc.ok()) return doc.error();
  Result<RowValues> values = place_cells(path, doc->table.columns, cells);
  if (!values.ok()) return values.error();
  const int64_t last =
      doc->table.source_rows.empty() ? doc->header_row : doc->table.source_rows.back();
  if (last >= kMaxXlsxRows) return file_error(path, "the sheet has no row left for a new task");
  const int64_t number = last + 1;
  std::map<int64_t, std::string> by_column;
  for (const auto& [index, value] : *values) {
    by_column.emplace(doc->first_column + static_cast<int64_t>(index), value);
  }
  RowSlot slot(number);
  const std::string where = "sheet \"" + doc->sheet_name + "\"";
  Result<SheetInfo> info = walk_sheet(doc->sheet_xml, path, where, slot);
  if (!info.ok()) return info.error();
  std::vector<TextEdit> edits;  // in document order: <dimension> precedes <sheetData>
  if (auto dim = dimension_edit(doc->sheet_xml, *info, {by_column.rbegin()->first, number})) {
    edits.push_back(std::move(*dim));
  }
  edits.push_back(row_edit(doc->sheet_xml, info->prefix, number, by_column, slot));
  EditedText sheet(doc->sheet_xml, edits);
  return replace_zip_entry(bytes, path, doc->sheet_part, sheet);
}

}  // namespace

Result<std::string> append_row_to_content(std::string_view content, const std::string& path,
                                          const NewRowCells& cells) {
  const std::optional<TableFormat> format = format_by_extension(path);
  if (!format) return file_error(path, "unsupported table format; use a .csv, .json or .xlsx file");
  if (Status s = check_cells(path, cells); !s.ok()) return s.error();
  switch (*format) {
    case TableFormat::kCsv:
      return append_csv_row(content, path, cells);
    case TableFormat::kJson:
      return append_json_row(content, path, cells);
    case TableFormat::kXlsx:
      return append_xlsx_row(content, path, cells);
  }
  std::abort();  // every format is handled above
}

Status append_table_row(const std::string& path, const NewRowCells& cells) {
  // Checked before reading, so a bad request does not depend on the file.
  if (Status s = check_cells(path, cells); !s.ok()) return s;
  // The user or an editor may save the table while the row is being added: their version
  // must never be overwritten, so the rename happens only over the version that was read,
  // and a save in between means reading the new version and appending to it instead.
  constexpr int kAttempts = 3;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    const std::optional<FileSignature> read_version = file_signature(path);
    Result<std::string> content = read_whole_file(path);
    if (!content.ok()) return content.error();
    Result<std::string> appended = append_row_to_content(*content, path, cells);
    if (!appended.ok()) return appended.error();
    Result<bool> written = replace_file_if(
        path, *appended, [&] { return read_version && file_signature(path) == read_version; });
    if (!written.ok()) return written.error();
    if (*written) return ok_status();
  }
  return file_error(path,
                    "the file kept changing while the new row was being added; nothing was "
                    "written, try again when it is saved");
}

}  // namespace flowline

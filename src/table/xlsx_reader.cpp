#include "table/xlsx_reader.hpp"

#include <charconv>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/utf8.hpp"
#include "table/file_io.hpp"
#include "table/table_error.hpp"
#include "table/xlsx_package.hpp"
#include "table/xlsx_sheet_walker.hpp"
#include "table/xlsx_values.hpp"

namespace flowline {
namespace {

// Collects each row's values, then turns the first non-empty row into the header.
class TableBuilder : public SheetVisitor {
 public:
  TableBuilder(XlsxDocument& doc, const std::vector<std::string>& shared, XlsxCells keep)
      : doc_(doc), shared_(shared), keep_(keep) {}

  Status on_row_start(const SheetRow&) override {
    cells_.clear();
    return ok_status();
  }

  Status on_cell(const SheetCell& cell) override {
    Result<CellValue> value = cell_value(cell);
    if (!value.ok()) return value.error();
    if (*value) {
      if (!is_valid_utf8(**value)) return error_at(cell, "invalid UTF-8 in the cell's text");
      cells_.emplace_back(cell.column, std::move(**value));
    }
    return ok_status();
  }

  Status on_row_end(const SheetRow& row) override {
    if (cells_.empty()) return ok_status();
    return doc_.header_row == 0 ? take_header(row) : take_row(row);
  }

 private:
  // The header's name for a sheet column, or "" (the header itself, or past its end).
  std::string column_name(int64_t column) const {
    const int64_t index = column - doc_.first_column;
    if (doc_.header_row != 0 && index >= 0 &&
        index < static_cast<int64_t>(doc_.table.columns.size())) {
      return doc_.table.columns[static_cast<size_t>(index)];
    }
    return "";
  }

  Error error_at(const SheetCell& cell, const std::string& message) const {
    return cell_error(doc_.table.path, cell.row, cell.column, column_name(cell.column),
                      "cell " + cell_name(cell.column, cell.row) + ": " + message);
  }

  Result<CellValue> cell_value(const SheetCell& cell) const {
    const std::string_view type = cell.type;
    if (type == "inlineStr") return non_empty(cell.has_inline ? cell.inline_text : cell.value);
    if (!cell.has_value) return CellValue{};
    if (type == "s") {
      size_t index = 0;
      const auto [ptr, ec] =
          std::from_chars(cell.value.data(), cell.value.data() + cell.value.size(), index);
      if (ec != std::errc() || ptr != cell.value.data() + cell.value.size() ||
          index >= shared_.size()) {
        return error_at(cell, "shared string index " + cell.value + " is out of range");
      }
      return non_empty(shared_[index]);
    }
    if (type == "str" || type == "d") return non_empty(cell.value);
    if (type == "b") {
      if (cell.value == "1") return CellValue{"true"};
      if (cell.value == "0") return CellValue{"false"};
      return error_at(cell, "invalid boolean " + cell.value);
    }
    if (type == "e") {
      return error_at(
          cell, "holds the spreadsheet error " + cell.value + "; fix the formula or type a value");
    }
    if (!type.empty() && type != "n")
      return error_at(cell, "unknown cell type t=\"" + std::string(type) + "\"");
    if (cell.value.empty()) return CellValue{};
    std::optional<std::string> number = format_xlsx_number(cell.value);
    if (!number) return error_at(cell, "invalid number " + cell.value);
    return CellValue{std::move(*number)};
  }

  static CellValue non_empty(const std::string& text) {
    if (text.empty()) return std::nullopt;
    return text;
  }

  Status take_header(const SheetRow& row) {
    doc_.header_row = row.number;
    doc_.first_column = cells_.front().first;
    std::unordered_set<std::string> seen;
    int64_t expected = doc_.first_column;
    for (auto& [column, name] : cells_) {
      if (column != expected) {
        return cell_error(
            doc_.table.path, row.number, expected, "",
            "empty column name in the header (cell " + cell_name(expected, row.number) + ")");
      }
      if (!seen.insert(*name).second) {
        return cell_error(doc_.table.path, row.number, column, *name,
                          "cell " + cell_name(column, row.number) + ": duplicate column name");
      }
      doc_.table.columns.push_back(std::move(*name));
      ++expected;
    }
    return ok_status();
  }

  Status take_row(const SheetRow& row) {
    const int64_t width = static_cast<int64_t>(doc_.table.columns.size());
    std::vector<CellValue> values(keep_ == XlsxCells::kValues ? static_cast<size_t>(width) : 0);
    for (auto& [column, value] : cells_) {
      const int64_t index = column - doc_.first_column;
      if (index < 0 || index >= width) {
        return cell_error(doc_.table.path, row.number, column, "",
                          "cell " + cell_name(column, row.number) +
                              " has a value but its column has no header name");
      }
      if (keep_ == XlsxCells::kValues) values[static_cast<size_t>(index)] = std::move(value);
    }
    doc_.table.rows.push_back(std::move(values));
    doc_.table.source_rows.push_back(row.number);
    return ok_status();
  }

  XlsxDocument& doc_;
  const std::vector<std::string>& shared_;
  const XlsxCells keep_;
  std::vector<std::pair<int64_t, CellValue>> cells_;
};

}  // namespace

Result<XlsxDocument> parse_xlsx_document(std::string_view bytes, const std::string& path,
                                         XlsxCells cells) {
  XlsxDocument doc;
  doc.table.path = path;
  doc.table.format = TableFormat::kXlsx;
  Result<XlsxPackage> package = open_xlsx_package(bytes, path);
  if (!package.ok()) return package.error();
  doc.sheet_part = package->sheet_part;
  doc.sheet_name = package->sheet_name;
  Result<std::vector<std::string>> shared = read_shared_strings(*package, path);
  if (!shared.ok()) return shared.error();
  Result<std::string> xml = package->zip->read(package->sheet_part);
  if (!xml.ok()) return xml.error();
  doc.sheet_xml = std::move(*xml);
  TableBuilder builder(doc, *shared, cells);
  const std::string where = "sheet \"" + doc.sheet_name + "\" (" + doc.sheet_part + ")";
  Result<SheetInfo> info = walk_sheet(doc.sheet_xml, path, where, builder);
  if (!info.ok()) return info.error();
  if (doc.header_row == 0) {
    return file_error(path, where + " is empty: the first row must hold the column names");
  }
  return doc;
}

Result<RawTable> parse_xlsx(std::string_view bytes, const std::string& path) {
  Result<XlsxDocument> doc = parse_xlsx_document(bytes, path);
  if (!doc.ok()) return doc.error();
  return std::move(doc->table);
}

Result<RawTable> read_xlsx(const std::string& path) {
  Result<std::string> bytes = read_whole_file(path);
  if (!bytes.ok()) return bytes.error();
  return parse_xlsx(*bytes, path);
}

}  // namespace flowline

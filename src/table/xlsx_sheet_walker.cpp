#include "table/xlsx_sheet_walker.hpp"

#include "table/table_error.hpp"
#include "table/xlsx_values.hpp"
#include "table/xml_scanner.hpp"

namespace flowline {
namespace {

using Token = XmlScanner::Token;

class SheetWalk {
 public:
  SheetWalk(std::string_view xml, const std::string& path, const std::string& where,
            SheetVisitor& visitor)
      : scanner_(xml), path_(path), where_(where), visitor_(visitor) {}

  Result<SheetInfo> run() {
    while (true) {
      const Token token = scanner_.next();
      if (token == Token::kDone) break;
      if (token == Token::kError) return sheet_error("invalid XML: " + scanner_.error());
      Status status = token == Token::kStart ? on_start()
                      : token == Token::kEnd ? on_end()
                                             : on_text();
      if (!status.ok()) return status.error();
    }
    if (!saw_sheet_data_) return sheet_error("has no <sheetData>");
    return std::move(info_);
  }

 private:
  Error sheet_error(const std::string& message) const {
    return file_error(path_, where_ + " " + message);
  }
  Error cell_at_error(const std::string& message) const {
    return row_error(path_, row_.number,
                     "cell " + cell_name(cell_.column, row_.number) + ": " + message);
  }

  Status on_start() {
    const std::string_view name = scanner_.local_name();
    if (!in_sheet_data_) {
      if (name == "sheetData") {
        in_sheet_data_ = saw_sheet_data_ = true;
        info_.prefix = std::string(scanner_.prefix());
      } else if (name == "dimension") {
        info_.dimension = {{scanner_.token_begin(), scanner_.token_end()}};
        info_.dimension_ref = std::string(scanner_.attribute("ref").value_or(""));
      }
      return ok_status();
    }
    if (name == "row") return start_row();
    if (name == "c") return start_cell();
    if (!in_cell_) return ok_status();
    if (name == "v") in_v_ = true;
    if (name == "is") {
      in_is_ = true;
      cell_.has_inline = true;
    }
    if (name == "rPh") ++phonetic_depth_;
    if (name == "t" && in_is_) in_t_ = true;
    return ok_status();
  }

  Status start_row() {
    int64_t number = row_.number + 1;
    if (const auto r = scanner_.attribute("r")) {
      number = 0;
      for (const char c : *r) {
        if (c < '0' || c > '9' || number > kMaxXlsxRows) {
          return sheet_error("has an invalid row number r=\"" + std::string(*r) + "\"");
        }
        number = number * 10 + (c - '0');
      }
    }
    if (number <= row_.number || number > kMaxXlsxRows) {
      return sheet_error("has row " + std::to_string(number) + " out of order or out of range");
    }
    row_ = SheetRow{number, scanner_.token_begin(), scanner_.token_end(), scanner_.self_closing(),
                    scanner_.token_end()};
    last_column_ = 0;
    in_row_ = true;
    return visitor_.on_row_start(row_);
  }

  Status start_cell() {
    if (!in_row_) return sheet_error("has a cell outside any row");
    cell_.row = row_.number;
    cell_.column = last_column_ + 1;
    if (const auto r = scanner_.attribute("r")) {
      const std::optional<CellRef> ref = parse_cell_ref(*r);
      if (!ref || ref->row != row_.number) {
        return row_error(path_, row_.number,
                         "invalid cell reference r=\"" + std::string(*r) + "\" in row " +
                             std::to_string(row_.number));
      }
      cell_.column = ref->column;
    }
    if (cell_.column <= last_column_ || cell_.column > kMaxXlsxColumns) {
      return cell_at_error("cells are out of order or beyond the last column");
    }
    cell_.type = scanner_.attribute("t").value_or("");
    cell_.style = scanner_.attribute("s");
    cell_.begin = scanner_.token_begin();
    cell_.has_value = cell_.has_inline = false;
    cell_.value.clear();
    cell_.inline_text.clear();
    in_cell_ = true;
    return ok_status();
  }

  Status on_end() {
    const std::string_view name = scanner_.local_name();
    if (!in_sheet_data_) return ok_status();
    if (name == "sheetData") {
      in_sheet_data_ = false;
      return ok_status();
    }
    if (name == "row" && in_row_) {
      in_row_ = false;
      row_.end_begin = scanner_.token_begin();
      return visitor_.on_row_end(row_);
    }
    if (name == "c" && in_cell_) {
      in_cell_ = in_v_ = in_is_ = in_t_ = false;
      phonetic_depth_ = 0;
      cell_.end = scanner_.token_end();
      last_column_ = cell_.column;
      return visitor_.on_cell(cell_);
    }
    if (name == "v") in_v_ = false;
    if (name == "is") in_is_ = false;
    if (name == "t") in_t_ = false;
    if (name == "rPh") --phonetic_depth_;
    return ok_status();
  }

  Status on_text() {
    std::string* target = nullptr;
    if (in_v_) {
      target = &cell_.value;
      cell_.has_value = true;
    } else if (in_is_ && in_t_ && phonetic_depth_ == 0) {
      target = &cell_.inline_text;
    }
    if (target == nullptr) return ok_status();
    if (scanner_.raw_text_is_cdata()) {
      target->append(scanner_.raw_text());
    } else if (!decode_xml_text(scanner_.raw_text(), *target)) {
      return cell_at_error("invalid XML entity in the cell's text");
    }
    return ok_status();
  }

  XmlScanner scanner_;
  const std::string& path_;
  const std::string& where_;
  SheetVisitor& visitor_;
  SheetInfo info_;
  SheetRow row_;
  SheetCell cell_;
  int64_t last_column_ = 0;
  int phonetic_depth_ = 0;
  bool saw_sheet_data_ = false;
  bool in_sheet_data_ = false;
  bool in_row_ = false;
  bool in_cell_ = false;
  bool in_v_ = false;
  bool in_is_ = false;
  bool in_t_ = false;
};

}  // namespace

Result<SheetInfo> walk_sheet(std::string_view xml, const std::string& path,
                             const std::string& where, SheetVisitor& visitor) {
  return SheetWalk(xml, path, where, visitor).run();
}

}  // namespace flowline

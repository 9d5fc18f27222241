#include "table/xlsx_writer.hpp"

#include <algorithm>
#include <map>

#include "table/atomic_file.hpp"
#include "table/edit_list.hpp"
#include "table/file_io.hpp"
#include "table/json_writer.hpp"
#include "table/table_error.hpp"
#include "table/update_plan.hpp"
#include "table/xlsx_reader.hpp"
#include "table/xlsx_sheet_walker.hpp"
#include "table/xlsx_values.hpp"
#include "table/xml_scanner.hpp"
#include "table/zip_rewrite.hpp"

namespace flowline {
namespace {

using RowTargets = std::map<int64_t, std::string>;  // column number -> value

std::string cell_xml(const std::string& prefix, int64_t column, int64_t row,
                     std::optional<std::string_view> style, const std::string& value) {
  std::string out = "<" + prefix + "c r=\"" + cell_name(column, row) + "\"";
  if (style) out += " s=\"" + std::string(*style) + "\"";
  if (value.empty()) return out + "/>";
  if (is_json_number(value) && format_xlsx_number(value)) {
    return out + "><" + prefix + "v>" + value + "</" + prefix + "v></" + prefix + "c>";
  }
  return out + " t=\"inlineStr\"><" + prefix + "is><" + prefix + "t xml:space=\"preserve\">" +
         escape_xml(value) + "</" + prefix + "t></" + prefix + "is></" + prefix + "c>";
}

// Finds the target rows' cells and turns each update into a splice of the sheet XML.
class CellEditor : public SheetVisitor {
 public:
  CellEditor(const std::map<int64_t, RowTargets>& targets, std::string_view xml)
      : targets_(targets), xml_(xml) {}

  void set_prefix(std::string prefix) { prefix_ = std::move(prefix); }
  std::vector<TextEdit>& edits() { return edits_; }
  size_t rows_done() const { return rows_done_; }

  Status on_row_start(const SheetRow& row) override {
    const auto it = targets_.find(row.number);
    current_ = it == targets_.end() ? nullptr : &it->second;
    cells_.clear();
    return ok_status();
  }

  Status on_cell(const SheetCell& cell) override {
    if (current_ != nullptr) cells_.push_back({cell.column, cell.begin, cell.end, cell.style});
    return ok_status();
  }

  Status on_row_end(const SheetRow& row) override {
    if (current_ == nullptr) return ok_status();
    ++rows_done_;
    if (row.self_closing) {
      expand_empty_row(row);
      return ok_status();
    }
    std::vector<TextEdit> row_edits;
    for (const auto& [target, value] : *current_) {
      const int64_t column = target;  // a lambda cannot capture a structured binding in C++20
      const auto at = std::find_if(cells_.begin(), cells_.end(),
                                   [column](const Cell& c) { return c.column >= column; });
      if (at != cells_.end() && at->column == column) {
        row_edits.push_back(
            {at->begin, at->end, cell_xml(prefix_, column, row.number, at->style, value)});
      } else {
        const size_t pos = at == cells_.end() ? row.end_begin : at->begin;
        row_edits.push_back({pos, pos, cell_xml(prefix_, column, row.number, {}, value)});
      }
    }
    std::stable_sort(row_edits.begin(), row_edits.end(),
                     [](const TextEdit& a, const TextEdit& b) { return a.begin < b.begin; });
    edits_.insert(edits_.end(), row_edits.begin(), row_edits.end());
    return ok_status();
  }

 private:
  struct Cell {
    int64_t column;
    size_t begin;
    size_t end;
    std::optional<std::string_view> style;
  };

  // <row r="5"/> becomes <row r="5"><c .../></row>.
  void expand_empty_row(const SheetRow& row) {
    std::string_view tag = xml_.substr(row.start_begin, row.start_end - row.start_begin);
    tag.remove_suffix(2);  // "/>"
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t' || tag.back() == '\n')) {
      tag.remove_suffix(1);
    }
    std::string text = std::string(tag) + ">";
    for (const auto& [column, value] : *current_) {
      text += cell_xml(prefix_, column, row.number, {}, value);
    }
    text += "</" + prefix_ + "row>";
    edits_.push_back({row.start_begin, row.start_end, std::move(text)});
  }

  const std::map<int64_t, RowTargets>& targets_;
  std::string_view xml_;
  std::string prefix_;
  const RowTargets* current_ = nullptr;
  std::vector<Cell> cells_;
  std::vector<TextEdit> edits_;
  size_t rows_done_ = 0;
};

// Widens <dimension ref="A1:G10"/> when columns were appended.
std::optional<TextEdit> widen_dimension(std::string_view xml, const SheetInfo& info,
                                        int64_t last_column) {
  if (!info.dimension) return std::nullopt;
  const size_t colon = info.dimension_ref.find(':');
  if (colon == std::string::npos) return std::nullopt;
  const std::optional<CellRef> end = parse_cell_ref(info.dimension_ref.substr(colon + 1));
  if (!end || end->column >= last_column) return std::nullopt;
  const std::string ref =
      info.dimension_ref.substr(0, colon + 1) + cell_name(last_column, end->row);
  const auto [begin, stop] = *info.dimension;
  std::string tag(xml.substr(begin, stop - begin));
  const size_t at = tag.find(info.dimension_ref);
  if (at == std::string::npos) return std::nullopt;
  tag.replace(at, info.dimension_ref.size(), ref);
  return TextEdit{begin, stop, std::move(tag)};
}

Status check_writable(const std::string& path, const std::vector<CellUpdate>& updates) {
  for (const CellUpdate& u : updates) {
    for (const char c : u.value + u.column) {
      const auto b = static_cast<unsigned char>(c);
      if (b < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return file_error(path, "cannot write a control character into column " + u.column);
      }
    }
  }
  return ok_status();
}

}  // namespace

Result<std::string> apply_xlsx_updates(std::string_view bytes, const std::string& path,
                                       const std::vector<CellUpdate>& updates) {
  if (Status s = check_writable(path, updates); !s.ok()) return s.error();
  // Only the layout: the header, and which spreadsheet row holds which table row.
  Result<XlsxDocument> doc = parse_xlsx_document(bytes, path, XlsxCells::kLayoutOnly);
  if (!doc.ok()) return doc.error();
  Result<UpdatePlan> plan =
      plan_updates(path, doc->table.columns, static_cast<int64_t>(doc->table.rows.size()), updates);
  if (!plan.ok()) return plan.error();
  const int64_t old_width = static_cast<int64_t>(doc->table.columns.size());
  const int64_t last_column =
      doc->first_column + old_width + static_cast<int64_t>(plan->new_columns.size()) - 1;
  if (last_column > kMaxXlsxColumns) return file_error(path, "no room for another column");
  std::map<int64_t, RowTargets> targets;
  for (size_t k = 0; k < plan->new_columns.size(); ++k) {
    targets[doc->header_row][doc->first_column + old_width + static_cast<int64_t>(k)] =
        plan->new_columns[k];
  }
  for (const auto& [row, values] : plan->rows) {
    RowTargets& cells = targets[doc->table.source_rows[static_cast<size_t>(row)]];
    for (const auto& [index, value] : values) {
      cells[doc->first_column + static_cast<int64_t>(index)] = value;
    }
  }
  CellEditor editor(targets, doc->sheet_xml);
  // A first pass learns the element prefix; sheets are small next to the zip work.
  const std::string where = "sheet \"" + doc->sheet_name + "\"";
  struct NoVisit : SheetVisitor {
    Status on_cell(const SheetCell&) override { return ok_status(); }
  };
  NoVisit none;
  Result<SheetInfo> info = walk_sheet(doc->sheet_xml, path, where, none);
  if (!info.ok()) return info.error();
  editor.set_prefix(info->prefix);
  if (Result<SheetInfo> again = walk_sheet(doc->sheet_xml, path, where, editor); !again.ok()) {
    return again.error();
  }
  if (editor.rows_done() != targets.size()) std::abort();  // every target row was read from it
  std::vector<TextEdit>& edits = editor.edits();
  if (!plan->new_columns.empty()) {
    if (auto dim = widen_dimension(doc->sheet_xml, *info, last_column)) {
      edits.insert(edits.begin(), std::move(*dim));
    }
  }
  EditedText sheet(doc->sheet_xml, edits);
  return replace_zip_entry(bytes, path, doc->sheet_part, sheet);
}

Status write_xlsx_cells(const std::string& path, const std::vector<CellUpdate>& updates) {
  Result<std::string> bytes = read_whole_file(path);
  if (!bytes.ok()) return bytes.error();
  Result<std::string> updated = apply_xlsx_updates(*bytes, path, updates);
  if (!updated.ok()) return updated.error();
  return write_file_atomically(path, *updated);
}

}  // namespace flowline

#pragma once
// One pass over a worksheet's XML that reports rows and cells with their byte spans; the
// reader turns cells into values, the writer uses the spans to splice changed cells.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace flowline {

struct SheetRow {
  int64_t number = 0;      // 1-based, from r= or counted
  size_t start_begin = 0;  // <row ...> span
  size_t start_end = 0;
  bool self_closing = false;  // <row .../>
  size_t end_begin = 0;       // </row> span (empty at start_end when self-closing)
};

struct SheetCell {
  int64_t row = 0;
  int64_t column = 0;                     // 1-based
  std::string_view type;                  // t= ("" when absent, i.e. a number)
  std::optional<std::string_view> style;  // s= raw
  size_t begin = 0;                       // <c> ... </c> span
  size_t end = 0;
  bool has_value = false;   // <v> seen
  std::string value;        // decoded <v> text
  bool has_inline = false;  // <is> seen
  std::string inline_text;  // decoded <is> text, runs joined, phonetic runs skipped
};

struct SheetInfo {
  std::string prefix;  // namespace prefix used for sheet elements ("" or "x:")
  std::optional<std::pair<size_t, size_t>> dimension;  // <dimension .../> span
  std::string dimension_ref;
};

class SheetVisitor {
 public:
  virtual ~SheetVisitor() = default;
  virtual Status on_row_start(const SheetRow&) { return ok_status(); }
  virtual Status on_cell(const SheetCell& cell) = 0;
  virtual Status on_row_end(const SheetRow&) { return ok_status(); }
};

// `where` names the sheet in messages ("book.xlsx: sheet \"Sheet1\"").
Result<SheetInfo> walk_sheet(std::string_view xml, const std::string& path,
                             const std::string& where, SheetVisitor& visitor);

}  // namespace flowline

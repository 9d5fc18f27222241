#pragma once
// Finding the parts of an XLSX package: the workbook (via _rels/.rels), its first sheet in
// workbook order (via the workbook's relationships) and the shared-string table.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "table/zip_reader.hpp"

namespace flowline {

struct XlsxPackage {
  std::unique_ptr<ZipReader> zip;
  std::string sheet_name;           // as shown on the tab, for messages
  std::string sheet_part;           // e.g. xl/worksheets/sheet1.xml
  std::string shared_strings_part;  // empty when the workbook has none
};

Result<XlsxPackage> open_xlsx_package(std::string_view bytes, const std::string& path);

// The shared-string table: one entry per <si>, rich-text runs joined, phonetic runs skipped.
Result<std::vector<std::string>> read_shared_strings(const XlsxPackage& package,
                                                     const std::string& path);

}  // namespace flowline

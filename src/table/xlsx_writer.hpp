#pragma once
// Writes cells back into an XLSX package. Only the first sheet's XML part changes, and in it
// only the touched cells (numbers as <v>, text as inline strings, keeping each cell's style);
// every other part is copied from the original archive unchanged.
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/table_model.hpp"

namespace flowline {

Result<std::string> apply_xlsx_updates(std::string_view bytes, const std::string& path,
                                       const std::vector<CellUpdate>& updates);

Status write_xlsx_cells(const std::string& path, const std::vector<CellUpdate>& updates);

}  // namespace flowline

#pragma once
// Writes cells back into a CSV file, changing only the bytes of those cells: the delimiter,
// quoting, line endings, BOM and every other field stay as the file had them. An appended
// column adds one field to the header and to every data record.
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/table_model.hpp"

namespace flowline {

// The new file content, or an error naming the file.
Result<std::string> apply_csv_updates(std::string_view text, const std::string& path,
                                      const std::vector<CellUpdate>& updates);

Status write_csv_cells(const std::string& path, const std::vector<CellUpdate>& updates);

}  // namespace flowline

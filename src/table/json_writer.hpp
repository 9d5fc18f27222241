#pragma once
// Writes cells back into a JSON table, replacing only the changed values' bytes: key order,
// formatting and every other value's text stay as written. A key an element lacks is added
// at the end of that object, in the object's own layout (one line or indented).
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/table_model.hpp"

namespace flowline {

Result<std::string> apply_json_updates(std::string_view text, const std::string& path,
                                       const std::vector<CellUpdate>& updates);

Status write_json_cells(const std::string& path, const std::vector<CellUpdate>& updates);

// A JSON number token (RFC 8259 grammar)?
bool is_json_number(std::string_view text);

}  // namespace flowline

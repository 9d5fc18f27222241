#include "table/update_plan.hpp"

#include "core/utf8.hpp"
#include "table/table_error.hpp"

namespace flowline {

Result<UpdatePlan> plan_updates(const std::string& path, const std::vector<std::string>& columns,
                                int64_t row_count, const std::vector<CellUpdate>& updates) {
  UpdatePlan plan;
  for (const CellUpdate& u : updates) {
    if (u.row < 0 || u.row >= row_count) {
      return file_error(path, "cannot write row " + std::to_string(u.row) + ": the table has " +
                                  std::to_string(row_count) + " data rows");
    }
    if (u.column.empty()) return file_error(path, "cannot write a column with no name");
    if (!is_valid_utf8(u.column) || !is_valid_utf8(u.value)) {
      return file_error(path, "cannot write invalid UTF-8 into column " + u.column);
    }
    size_t index = 0;
    while (index < columns.size() && columns[index] != u.column) ++index;
    if (index == columns.size()) {
      size_t k = 0;
      while (k < plan.new_columns.size() && plan.new_columns[k] != u.column) ++k;
      if (k == plan.new_columns.size()) plan.new_columns.push_back(u.column);
      index += k;
    }
    plan.rows[u.row][index] = u.value;
  }
  return plan;
}

}  // namespace flowline

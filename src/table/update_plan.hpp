#pragma once
// Groups a batch of CellUpdates by row and resolves columns, appending the ones the table
// lacks (e.g. run_num); shared by the three writers.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/table_model.hpp"

namespace flowline {

struct UpdatePlan {
  std::vector<std::string> new_columns;  // appended after the existing ones, in this order
  // row -> (column index in old+new columns -> value); the last update of a cell wins.
  std::map<int64_t, std::map<size_t, std::string>> rows;
};

// `columns` and `row_count` describe the table as read; errors name `path`.
Result<UpdatePlan> plan_updates(const std::string& path, const std::vector<std::string>& columns,
                                int64_t row_count, const std::vector<CellUpdate>& updates);

}  // namespace flowline

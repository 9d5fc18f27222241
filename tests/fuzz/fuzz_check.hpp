#pragma once
// Shared by the table fuzz targets: after writing run_num into row 0, the file must read back
// with that value and every other cell unchanged. A violation aborts, which libFuzzer reports.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/result.hpp"
#include "core/table_model.hpp"

namespace flowline::fuzz {

inline constexpr const char* kColumn = "run_num";
inline constexpr const char* kValue = "7";

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "round-trip check failed: %s\n", what);
  std::abort();
}

inline void check_round_trip(const RawTable& before, const Result<RawTable>& after) {
  if (!after.ok()) {
    std::fprintf(stderr, "%s\n", after.error().message.c_str());
    fail("the written table does not read back");
  }
  if (after->rows.size() != before.rows.size()) fail("row count changed");
  // Compare by name: JSON orders columns by first appearance, so a key added to element 1
  // may move ahead of keys that first appear later.
  auto index_of = [&](const std::string& name) {
    size_t i = 0;
    while (i < after->columns.size() && after->columns[i] != name) ++i;
    if (i == after->columns.size()) fail("a column disappeared");
    return i;
  };
  const size_t target = index_of(kColumn);
  for (size_t c = 0; c < before.columns.size(); ++c) {
    const size_t a = index_of(before.columns[c]);
    for (size_t r = 0; r < before.rows.size(); ++r) {
      if (r == 0 && a == target) continue;
      if (after->rows[r][a] != before.rows[r][c]) fail("another cell changed");
    }
  }
  if (after->rows[0][target] != std::string(kValue)) fail("run_num not written");
}

}  // namespace flowline::fuzz

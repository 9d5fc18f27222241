// Replays inputs that once broke a fuzz target (tests/fuzz/regressions/<format>/) through the
// same read + write-back + re-read check the fuzz targets make.
#include <gtest/gtest.h>

#include <filesystem>

#include "fuzz/fuzz_check.hpp"
#include "table/csv_reader.hpp"
#include "table/csv_writer.hpp"
#include "table/json_reader.hpp"
#include "table/json_writer.hpp"
#include "table/xlsx_reader.hpp"
#include "table/xlsx_writer.hpp"
#include "table_test_util.hpp"

namespace flowline {
namespace {

template <class Parse, class Apply>
int replay(const std::string& format, Parse parse, Apply apply) {
  const std::filesystem::path dir =
      std::filesystem::path(FLOWLINE_SOURCE_DIR) / "tests/fuzz/regressions" / format;
  if (!std::filesystem::exists(dir)) return 0;
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string bytes = testing::slurp(entry.path());
    ++count;
    Result<RawTable> table = parse(bytes, "fuzz");
    if (!table.ok() || table->rows.empty()) continue;
    Result<std::string> written = apply(bytes, "fuzz", {{0, fuzz::kColumn, fuzz::kValue}});
    if (!written.ok()) continue;  // refusing is fine; corrupting is not
    fuzz::check_round_trip(*table, parse(*written, "fuzz"));
  }
  return count;
}

TEST(FuzzRegressions, ReplayEveryRecordedInput) {
  int total = replay("csv", parse_csv, apply_csv_updates);
  total += replay("json", parse_json, apply_json_updates);
  total += replay("xlsx", parse_xlsx, apply_xlsx_updates);
  EXPECT_GE(total, 1);  // the folder holds at least the first JSON finding
}

}  // namespace
}  // namespace flowline

// fuzz-link: flowline_table
// CSV reader on arbitrary bytes, plus the writer's round trip on every input that reads.
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "table/csv_reader.hpp"
#include "table/csv_writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace flowline;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<RawTable> table = parse_csv(text, "fuzz.csv");
  if (!table.ok() || table->rows.empty()) return 0;
  Result<std::string> written =
      apply_csv_updates(text, "fuzz.csv", {{0, fuzz::kColumn, fuzz::kValue}});
  if (!written.ok()) fuzz::fail("writer refused a table that reads");
  fuzz::check_round_trip(*table, parse_csv(*written, "fuzz.csv"));
  return 0;
}

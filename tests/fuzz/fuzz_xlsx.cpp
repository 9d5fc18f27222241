// fuzz-link: flowline_table
// XLSX reader (zip, package relationships, shared strings, sheet XML) on arbitrary bytes,
// plus the writer's round trip on every input that reads.
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "table/xlsx_reader.hpp"
#include "table/xlsx_writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace flowline;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Result<RawTable> table = parse_xlsx(bytes, "fuzz.xlsx");
  if (!table.ok() || table->rows.empty()) return 0;
  // The writer may refuse (e.g. no column left after XFD); it must never corrupt.
  Result<std::string> written =
      apply_xlsx_updates(bytes, "fuzz.xlsx", {{0, fuzz::kColumn, fuzz::kValue}});
  if (!written.ok()) return 0;
  fuzz::check_round_trip(*table, parse_xlsx(*written, "fuzz.xlsx"));
  return 0;
}

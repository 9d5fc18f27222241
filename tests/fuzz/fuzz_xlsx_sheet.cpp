// fuzz-link: flowline_table
// The bytes are the first sheet's XML inside an otherwise valid package (stored, so the
// fuzzer's mutations reach the XML scanner and sheet walker instead of failing the CRC).
// Reader plus the writer's round trip, as in fuzz_xlsx.
#include <zip.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "table/xlsx_reader.hpp"
#include "table/xlsx_writer.hpp"

namespace {

const char kRels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/></Relationships>";
const char kWorkbook[] =
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
const char kShared[] =
    "<sst><si><t>name</t></si><si><r><t>a</t></r><r><t>b</t></r></si>"
    "<si><t>run_num</t></si></sst>";

std::string package(std::string_view sheet) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (buffer == nullptr) std::abort();
  zip_source_keep(buffer);
  zip_t* zip = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (zip == nullptr) std::abort();
  const std::pair<const char*, std::string_view> parts[] = {{"xl/workbook.xml", kWorkbook},
                                                            {"xl/_rels/workbook.xml.rels", kRels},
                                                            {"xl/sharedStrings.xml", kShared},
                                                            {"xl/worksheets/sheet1.xml", sheet}};
  for (const auto& [name, data] : parts) {
    zip_source_t* src = zip_source_buffer(zip, data.data(), data.size(), 0);
    const zip_int64_t index = zip_file_add(zip, name, src, 0);
    if (src == nullptr || index < 0) std::abort();
    zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
  }
  if (zip_close(zip) != 0) std::abort();
  std::string out;
  if (zip_source_open(buffer) != 0) std::abort();
  char chunk[65536];
  zip_int64_t n = 0;
  while ((n = zip_source_read(buffer, chunk, sizeof chunk)) > 0) out.append(chunk, n);
  zip_source_close(buffer);
  zip_source_free(buffer);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace flowline;
  const std::string bytes = package(std::string_view(reinterpret_cast<const char*>(data), size));
  Result<RawTable> table = parse_xlsx(bytes, "fuzz.xlsx");
  if (!table.ok() || table->rows.empty()) return 0;
  Result<std::string> written =
      apply_xlsx_updates(bytes, "fuzz.xlsx", {{0, fuzz::kColumn, fuzz::kValue}});
  if (!written.ok()) return 0;
  fuzz::check_round_trip(*table, parse_xlsx(*written, "fuzz.xlsx"));
  return 0;
}

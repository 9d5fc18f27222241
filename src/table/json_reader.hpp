#pragma once
// JSON tables: an array of flat objects. Conventions:
// - Columns are the union of keys in order of first appearance; a missing key is blank.
// - Values keep the text as written: numbers verbatim (`1e-05` stays `1e-05`), true/false
//   as `true`/`false`; null and "" are blank. Nested objects/arrays are errors.
// - A row is found by the line its object starts on (source_rows), as errors name it.
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/table_model.hpp"

namespace flowline {

struct JsonValueSpan {
  size_t column = 0;
  size_t begin = 0;  // raw token bytes, quotes included for strings
  size_t end = 0;
  bool is_string = false;
};

struct JsonElementSpan {
  size_t open = 0;                    // offset of `{`
  size_t close = 0;                   // offset of `}`
  std::vector<JsonValueSpan> values;  // in file order
};

struct JsonDocument {
  RawTable table;
  std::vector<JsonElementSpan> elements;  // one per row
};

Result<JsonDocument> parse_json_document(std::string_view text, const std::string& path);
Result<RawTable> parse_json(std::string_view text, const std::string& path);
Result<RawTable> read_json(const std::string& path);

}  // namespace flowline

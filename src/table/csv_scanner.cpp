#include "table/csv_scanner.hpp"

namespace flowline {

void decode_csv_field(std::string_view text, const CsvFieldSpan& field, std::string& out) {
  const std::string_view inner = csv_field_raw_inner(text, field);
  if (!field.has_doubled_quote) {
    out.assign(inner.data(), inner.size());
    return;
  }
  out.clear();
  out.reserve(inner.size());
  for (size_t i = 0; i < inner.size(); ++i) {
    out += inner[i];
    if (inner[i] == '"') ++i;  // skip the second quote of a pair
  }
}

}  // namespace flowline

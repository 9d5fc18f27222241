#include "table/table_file.hpp"

#include <algorithm>
#include <optional>

#include "table/csv_reader.hpp"
#include "table/csv_writer.hpp"
#include "table/json_reader.hpp"
#include "table/json_writer.hpp"
#include "table/table_error.hpp"
#include "table/xlsx_reader.hpp"
#include "table/xlsx_writer.hpp"

namespace flowline {
namespace {

std::optional<TableFormat> format_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  const size_t dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return std::nullopt;
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == "csv") return TableFormat::kCsv;
  if (ext == "json") return TableFormat::kJson;
  if (ext == "xlsx") return TableFormat::kXlsx;
  return std::nullopt;
}

Error unsupported(const std::string& path) {
  return file_error(path, "unsupported table format; use a .csv, .json or .xlsx file");
}

}  // namespace

Result<RawTable> read_table(const std::string& path) {
  const std::optional<TableFormat> format = format_of(path);
  if (!format) return unsupported(path);
  switch (*format) {
    case TableFormat::kCsv:
      return read_csv(path);
    case TableFormat::kJson:
      return read_json(path);
    case TableFormat::kXlsx:
      return read_xlsx(path);
  }
  return unsupported(path);
}

Status write_cells(const std::string& path, const std::vector<CellUpdate>& updates) {
  const std::optional<TableFormat> format = format_of(path);
  if (!format) return unsupported(path);
  if (updates.empty()) return ok_status();
  switch (*format) {
    case TableFormat::kCsv:
      return write_csv_cells(path, updates);
    case TableFormat::kJson:
      return write_json_cells(path, updates);
    case TableFormat::kXlsx:
      return write_xlsx_cells(path, updates);
  }
  return unsupported(path);
}

}  // namespace flowline

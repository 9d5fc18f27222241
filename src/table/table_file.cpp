#include "table/table_file.hpp"

#include <algorithm>
#include <optional>

#include "core/task_table.hpp"
#include "table/csv_reader.hpp"
#include "table/atomic_file.hpp"
#include "table/csv_writer.hpp"
#include "table/file_io.hpp"
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

namespace {

Result<TaskTable> load_csv_tasks(const std::string& path) {
  Result<std::string> text = read_whole_file(path);
  if (!text.ok()) return text.error();
  std::optional<TaskTableBuilder> builder;  // made once the header is known
  const CsvRowSink sink = [&](const RawTable& header, std::vector<CellValue>& row, int64_t line) {
    if (!builder) builder.emplace(path, header.columns);
    builder->add_row(row, line);
  };
  Result<CsvDocument> doc = parse_csv_document(*text, path, CsvValues::kKeep, &sink);
  if (!doc.ok()) return doc.error();
  if (!builder) builder.emplace(path, doc->table.columns);
  Result<std::vector<Task>> tasks = std::move(*builder).finish();
  if (!tasks.ok()) return tasks.error();
  return TaskTable{std::move(doc->table.columns), std::move(*tasks)};
}

}  // namespace

Result<TaskTable> load_task_table(const std::string& path) {
  if (format_of(path) == TableFormat::kCsv) return load_csv_tasks(path);
  Result<RawTable> table = read_table(path);
  if (!table.ok()) return table.error();
  Result<std::vector<Task>> tasks = take_tasks_from_table(*table);
  if (!tasks.ok()) return tasks.error();
  return TaskTable{std::move(table->columns), std::move(*tasks)};
}

namespace {

Result<std::string> updated_content(TableFormat format, std::string_view text,
                                    const std::string& path,
                                    const std::vector<CellUpdate>& updates) {
  switch (format) {
    case TableFormat::kCsv:
      return apply_csv_updates(text, path, updates);
    case TableFormat::kJson:
      return apply_json_updates(text, path, updates);
    case TableFormat::kXlsx:
      return apply_xlsx_updates(text, path, updates);
  }
  return unsupported(path);
}

}  // namespace

Result<bool> write_cells_if_unchanged(const std::string& path,
                                      const std::vector<CellUpdate>& updates,
                                      const FileSignature& expected) {
  const std::optional<TableFormat> format = format_of(path);
  if (!format) return unsupported(path);
  auto unchanged = [&] { return file_signature(path) == expected; };
  Result<std::string> text = read_whole_file(path);
  if (!text.ok()) return text.error();
  // A save after our read changes the signature for good (the kernel sets ctime), so a match
  // now means what we read is that version.
  if (!unchanged()) return false;
  if (updates.empty()) return true;
  Result<std::string> updated = updated_content(*format, *text, path, updates);
  if (!updated.ok()) return updated.error();
  return replace_file_if(path, *updated, unchanged);
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

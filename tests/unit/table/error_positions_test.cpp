// One format for the place at fault in every table format, read or given meaning:
// FILE:ROW:COL: column 'NAME': message (table/table_error.hpp). It used to be written three
// ways: "f.csv:1: column 3 (x)", "f.csv:2:2: column 'x'" and "f.json: line 1, column 2".
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "table/table_file.hpp"
#include "table_test_util.hpp"
#include "xlsx_builder.hpp"

namespace flowline {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string load_error(const std::string& path) {
  Result<TaskTable> table = load_task_table(path);
  return table.ok() ? "(loaded)" : table.error().message;
}

std::string inline_cell(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

TEST(ErrorPositions, ABadCellIsNamedAlikeInCsvJsonAndXlsx) {
  testing::TempDir dir;
  const std::string expected = ":2:3: column 'gpus': expected a whole number of GPUs";
  testing::write_file(dir / "t.csv", "name,lr,gpus\na,0.1,1.5\n");
  EXPECT_THAT(load_error(dir / "t.csv"), StartsWith(dir / "t.csv" + expected));
  // JSON: the row is the line its object starts on.
  testing::write_file(dir / "t.json", "[\n{\"name\": \"a\", \"lr\": 0.1, \"gpus\": 1.5}\n]\n");
  EXPECT_THAT(load_error(dir / "t.json"), StartsWith(dir / "t.json" + expected));
  testing::write_zip(
      dir / "t.xlsx",
      testing::basic_parts(testing::sheet_xml(
          "<row r=\"1\">" + inline_cell("A1", "name") + inline_cell("B1", "lr") +
          inline_cell("C1", "gpus") + "</row><row r=\"2\">" + inline_cell("A2", "a") +
          "<c r=\"B2\"><v>0.1</v></c>" + "<c r=\"C2\"><v>1.5</v></c></row>")));
  EXPECT_THAT(load_error(dir / "t.xlsx"), StartsWith(dir / "t.xlsx" + expected));
}

TEST(ErrorPositions, ReadersUseTheSameFormat) {
  testing::TempDir dir;
  testing::write_file(dir / "t.csv", "name,lr\na,\"open\n");
  EXPECT_THAT(load_error(dir / "t.csv"), StartsWith(dir / "t.csv:2:2: column 'lr': "));
  testing::write_file(dir / "t.json", "[{\"name\": \"a\",\n  \"lr\": [1]}]");
  EXPECT_THAT(load_error(dir / "t.json"), StartsWith(dir / "t.json:2:9: column 'lr': "));
  testing::write_zip(dir / "t.xlsx",
                     testing::basic_parts(testing::sheet_xml(
                         "<row r=\"1\">" + inline_cell("A1", "name") + inline_cell("B1", "lr") +
                         "</row><row r=\"2\"><c r=\"B2\" t=\"e\"><v>#DIV/0!</v></c></row>")));
  EXPECT_THAT(load_error(dir / "t.xlsx"), StartsWith(dir / "t.xlsx:2:2: column 'lr': cell B2: "));
}

}  // namespace
}  // namespace flowline

#include "table/xlsx_writer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "table/table_file.hpp"
#include "table/zip_reader.hpp"
#include "table_test_util.hpp"
#include "xlsx_builder.hpp"

namespace flowline {
namespace {

using testing::Rows;
using testing::Strings;

const std::string kRows =
    R"(<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="inlineStr"><is><t>run_num</t></is></c><c r="D1" t="inlineStr"><is><t>lr</t></is></c></row>)";

std::string read_part(const std::string& path, const std::string& part) {
  const std::string bytes = testing::slurp(path);
  auto zip = ZipReader::open(bytes, path);
  if (!zip.ok()) return "<no zip>";
  Result<std::string> data = (*zip)->read(part);
  return data.ok() ? *data : "<missing>";
}

TEST(XlsxWriter, ReplacesAndInsertsCellsKeepingStyles) {
  testing::TempDir dir;
  const std::string path = dir.file("t.xlsx");
  const std::string sheet = testing::sheet_xml(
      R"(<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="inlineStr"><is><t>run_num</t></is></c><c r="C1" t="inlineStr"><is><t>lr</t></is></c></row>)"
      R"(<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="B2" s="3"><v>0</v></c><c r="C2"><v>1E-3</v></c></row>)"
      R"(<row r="3"><c r="A3" t="inlineStr"><is><t>b</t></is></c><c r="C3"><v>2</v></c></row>)");
  testing::write_zip(path, testing::basic_parts(sheet));
  ASSERT_TRUE(
      write_cells(path, {{0, "run_num", "1"}, {1, "run_num", "2"}, {1, "name", "x&y"}}).ok());
  const std::string out = read_part(path, "xl/worksheets/sheet2.xml");
  EXPECT_THAT(out,
              ::testing::HasSubstr(R"(<c r="B2" s="3"><v>1</v></c><c r="C2"><v>1E-3</v></c>)"));
  EXPECT_THAT(
      out,
      ::testing::HasSubstr(
          R"(<c r="A3" t="inlineStr"><is><t xml:space="preserve">x&amp;y</t></is></c><c r="B3"><v>2</v></c><c r="C3">)"));
  Result<RawTable> t = read_table(path);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(testing::cells(*t), (Rows{{"a", "1", "0.001"}, {"x&y", "2", "2"}}));
}

TEST(XlsxWriter, AppendsRunNumColumnAndLeavesOtherPartsAlone) {
  testing::TempDir dir;
  const std::string path = dir.file("t.xlsx");
  const std::string sheet = testing::sheet_xml(
      R"(<row r="1"><c r="B1" t="inlineStr"><is><t>name</t></is></c></row><row r="2"><c r="B2" t="inlineStr"><is><t>a</t></is></c></row><row r="3" customHeight="1"/><row r="4"><c r="B4"><v>7</v></c></row>)",
      R"(<dimension ref="B1:B4"/>)");
  const testing::Parts parts = testing::basic_parts(sheet, testing::shared_strings_xml(""));
  testing::write_zip(path, parts);
  ASSERT_TRUE(write_cells(path, {{1, "run_num", "3"}}).ok());
  Result<RawTable> t = read_table(path);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->columns, (Strings{"name", "run_num"}));
  EXPECT_EQ(testing::cells(*t), (Rows{{"a", "<blank>"}, {"7", "3"}}));
  const std::string out = read_part(path, "xl/worksheets/sheet2.xml");
  EXPECT_THAT(out, ::testing::HasSubstr(R"(<dimension ref="B1:C4"/>)"));
  EXPECT_THAT(out, ::testing::HasSubstr(R"(<row r="3" customHeight="1"/>)"));
  for (const auto& [name, data] : parts) {
    if (name == "xl/worksheets/sheet2.xml") continue;
    EXPECT_EQ(read_part(path, name), data) << name;
  }
}

TEST(XlsxWriter, ExpandsSelfClosingRowsAndHonoursPrefixes) {
  const std::string sheet =
      R"(<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>)"
      R"(<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>run_num</x:t></x:is></x:c></x:row>)"
      R"(<x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>)";
  Result<std::string> out = apply_xlsx_updates("", "t.xlsx", {});
  EXPECT_FALSE(out.ok());
  testing::TempDir dir;
  const std::string path = dir.file("t.xlsx");
  testing::write_zip(path, testing::basic_parts(sheet));
  ASSERT_TRUE(write_cells(path, {{0, "run_num", "5"}}).ok());
  EXPECT_THAT(read_part(path, "xl/worksheets/sheet2.xml"),
              ::testing::HasSubstr(
                  R"(<x:c r="A2"><x:v>1</x:v></x:c><x:c r="B2"><x:v>5</x:v></x:c></x:row>)"));
}

}  // namespace
}  // namespace flowline

#include "table/xlsx_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "table/file_io.hpp"
#include "table/table_file.hpp"
#include "table_test_util.hpp"
#include "xlsx_builder.hpp"

namespace flowline {
namespace {

using ::testing::HasSubstr;
using testing::Rows;
using testing::Strings;

class XlsxReaderTest : public ::testing::Test {
 protected:
  Result<RawTable> read(const testing::Parts& parts) {
    const std::string path = dir_.file("t.xlsx");
    testing::write_zip(path, parts);
    return read_table(path);
  }
  std::string read_error(const testing::Parts& parts) {
    Result<RawTable> t = read(parts);
    EXPECT_FALSE(t.ok());
    return t.ok() ? "" : t.error().message;
  }
  testing::TempDir dir_;
};

const std::string kShared = testing::shared_strings_xml(
    "<si><t>name</t></si><si><t>lr</t></si><si><r><t>rich </t></r><r><rPr><b/></rPr><t>text"
    "</t></r><rPh><t>ignored</t></rPh></si><si><t xml:space=\"preserve\"> a &amp; b </t></si>");

TEST_F(XlsxReaderTest, ReadsFirstSheetByWorkbookOrderWithAllCellKinds) {
  const std::string rows =
      R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>flag</t></is></c><c r="D1" t="inlineStr"><is><t>f</t></is></c></row>)"
      R"(<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>1.0000000000000001E-3</v></c><c r="C2" t="b"><v>1</v></c><c r="D2"><f>1+1</f><v>2</v></c></row>)"
      R"(<row r="3" spans="1:4"><c r="B3" s="1"><v>1.0000000000000001E-5</v></c><c r="D3" t="str"><f>A1</f><v>name</v></c></row>)"
      R"(<row r="5"><c r="A5" t="s"><v>3</v></c><c r="B5"><v>2.5</v></c><c r="C5" t="b"><v>0</v></c></row>)"
      R"(<row r="6"><c r="A6"/><c r="B6" t="inlineStr"><is><t></t></is></c></row>)";
  Result<RawTable> t = read(testing::basic_parts(testing::sheet_xml(rows), kShared));
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->format, TableFormat::kXlsx);
  EXPECT_EQ(t->columns, (Strings{"name", "lr", "flag", "f"}));
  EXPECT_EQ(testing::cells(*t), (Rows{{"rich text", "0.001", "true", "2"},
                                      {"<blank>", "1e-05", "<blank>", "name"},
                                      {" a & b ", "2.5", "false", "<blank>"}}));
  EXPECT_EQ(t->source_rows, (std::vector<int64_t>{2, 3, 5}));
}

TEST_F(XlsxReaderTest, CellsWithoutReferencesAreCounted) {
  const std::string rows =
      R"(<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c></row>)"
      R"(<row><c><v>1</v></c><c><v>2.0</v></c></row>)";
  Result<RawTable> t = read(testing::basic_parts(testing::sheet_xml(rows)));
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(testing::cells(*t), (Rows{{"1", "2"}}));
}

TEST_F(XlsxReaderTest, ErrorsNameTheCell) {
  auto sheet = [](const std::string& data_row) {
    return testing::basic_parts(testing::sheet_xml(
        R"(<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row>)" +
        data_row));
  };
  EXPECT_THAT(read_error(sheet(R"(<row r="4"><c r="B4" t="e"><v>#DIV/0!</v></c></row>)")),
              HasSubstr("t.xlsx:4:2: column 'b': cell B4: holds the spreadsheet error #DIV/0!"));
  EXPECT_THAT(read_error(sheet(R"(<row r="2"><c r="C2"><v>1</v></c></row>)")),
              HasSubstr("t.xlsx:2:3: cell C2 has a value but its column has no header"));
  EXPECT_THAT(read_error(sheet(R"(<row r="2"><c r="A2" t="s"><v>9</v></c></row>)")),
              HasSubstr("cell A2: shared string index 9 is out of range"));
  EXPECT_THAT(read_error(sheet(R"(<row r="2"><c r="A2"><v>abc</v></c></row>)")),
              HasSubstr("cell A2: invalid number abc"));
  EXPECT_THAT(
      read_error(sheet("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>\xff</t></is></c></row>")),
      HasSubstr("t.xlsx:2:1: column 'a': cell A2: invalid UTF-8"));
  EXPECT_THAT(read_error(sheet(R"(<row r="2"><c r="A2"><v>1</v></row>)")),
              HasSubstr("invalid XML"));
}

// The writer's parse: the same header and row numbers, no values kept, the same errors.
TEST_F(XlsxReaderTest, LayoutOnlyKeepsHeaderAndRowNumbersAndStillRefusesBadCells) {
  const std::string header =
      R"(<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row>)";
  const std::string path = dir_.file("t.xlsx");
  testing::write_zip(path, testing::basic_parts(testing::sheet_xml(
                               header + R"(<row r="3"><c r="B3"><v>2</v></c></row>)"
                                        R"(<row r="7"><c r="A7"><v>1</v></c></row>)")));
  Result<std::string> bytes = read_whole_file(path);
  ASSERT_TRUE(bytes.ok());
  Result<XlsxDocument> full = parse_xlsx_document(*bytes, path);
  Result<XlsxDocument> layout = parse_xlsx_document(*bytes, path, XlsxCells::kLayoutOnly);
  ASSERT_TRUE(full.ok() && layout.ok());
  EXPECT_EQ(layout->table.columns, full->table.columns);
  EXPECT_EQ(layout->table.source_rows, (std::vector<int64_t>{3, 7}));
  ASSERT_EQ(layout->table.rows.size(), 2u);
  EXPECT_TRUE(layout->table.rows[0].empty());
  EXPECT_EQ(layout->header_row, 1);
  testing::write_zip(path, testing::basic_parts(testing::sheet_xml(
                               header + R"(<row r="2"><c r="A2"><v>abc</v></c></row>)")));
  bytes = read_whole_file(path);
  Result<XlsxDocument> bad = parse_xlsx_document(*bytes, path, XlsxCells::kLayoutOnly);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("cell A2: invalid number abc"));
}

TEST_F(XlsxReaderTest, HeaderProblems) {
  EXPECT_THAT(
      read_error(testing::basic_parts(testing::sheet_xml(
          R"(<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="C1" t="inlineStr"><is><t>c</t></is></c></row>)"))),
      HasSubstr("t.xlsx:1:2: empty column name in the header (cell B1)"));
  EXPECT_THAT(
      read_error(testing::basic_parts(testing::sheet_xml(
          R"(<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>a</t></is></c></row>)"))),
      HasSubstr("t.xlsx:1:2: column 'a': cell B1: duplicate column name"));
  EXPECT_THAT(read_error(testing::basic_parts(testing::sheet_xml(""))),
              HasSubstr("sheet \"Tasks\" (xl/worksheets/sheet2.xml) is empty"));
}

TEST_F(XlsxReaderTest, PackageProblems) {
  testing::Parts parts = testing::basic_parts(testing::sheet_xml(""));
  parts.erase("xl/worksheets/sheet2.xml");
  EXPECT_THAT(read_error(parts), HasSubstr("first sheet \"Tasks\" is missing"));
  parts = testing::basic_parts(testing::sheet_xml(""));
  parts.erase("xl/workbook.xml");
  EXPECT_THAT(read_error(parts), HasSubstr("no workbook part xl/workbook.xml"));
  parts = testing::basic_parts(testing::sheet_xml(""));
  parts["xl/workbook.xml"] = "<workbook><sheets/></workbook>";
  EXPECT_THAT(read_error(parts), HasSubstr("lists no sheets"));
  testing::write_file(dir_.file("t.xlsx"), "PK\x03\x04 not really");
  Result<RawTable> t = read_table(dir_.file("t.xlsx"));
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.error().message, HasSubstr("t.xlsx: not a valid XLSX (zip) package"));
}

}  // namespace
}  // namespace flowline

#include "table/csv_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "table_test_util.hpp"

namespace flowline {
namespace {

using ::testing::HasSubstr;
using testing::Rows;
using testing::Strings;

RawTable parse_ok(const std::string& text) {
  Result<RawTable> table = parse_csv(text, "t.csv");
  EXPECT_TRUE(table.ok()) << (table.ok() ? "" : table.error().message);
  return table.ok() ? *table : RawTable{};
}

std::string parse_error(const std::string& text) {
  Result<RawTable> table = parse_csv(text, "t.csv");
  EXPECT_FALSE(table.ok());
  return table.ok() ? "" : table.error().message;
}

TEST(CsvReader, ReadsHeaderRowsAndLineNumbers) {
  const RawTable t = parse_ok("name,lr,seed\na,0.001,1\nb,1e-05,2\n");
  EXPECT_EQ(t.format, TableFormat::kCsv);
  EXPECT_EQ(t.columns, (Strings{"name", "lr", "seed"}));
  EXPECT_EQ(testing::cells(t), (Rows{{"a", "0.001", "1"}, {"b", "1e-05", "2"}}));
  EXPECT_EQ(t.source_rows, (std::vector<int64_t>{2, 3}));
}

TEST(CsvReader, QuotedFieldsKeepCommasQuotesAndNewlines) {
  const RawTable t = parse_ok("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\nlast,1\n");
  EXPECT_EQ(testing::cells(t), (Rows{{"x, y", "say \"hi\""}, {"two\nlines", "z"}, {"last", "1"}}));
  EXPECT_EQ(t.source_rows, (std::vector<int64_t>{2, 3, 5}));
}

TEST(CsvReader, CrlfBomAndNoFinalNewline) {
  const RawTable t = parse_ok("\xEF\xBB\xBFname,v\r\nα,1\r\nβ,2");
  EXPECT_EQ(t.columns, (Strings{"name", "v"}));
  EXPECT_EQ(testing::cells(t), (Rows{{"α", "1"}, {"β", "2"}}));
}

TEST(CsvReader, DetectsSemicolonAndTab) {
  EXPECT_EQ(testing::cells(parse_ok("a;b\n1,5;2\n")), (Rows{{"1,5", "2"}}));
  EXPECT_EQ(testing::cells(parse_ok("a\tb\n1\t2\n")), (Rows{{"1", "2"}}));
}

TEST(CsvReader, BlanksShortRowsAndSkippedBlankRecords) {
  const RawTable t = parse_ok("a,b,c\n1,,\"\"\n\n,,\n2\n");
  EXPECT_EQ(testing::cells(t), (Rows{{"1", "<blank>", "<blank>"}, {"2", "<blank>", "<blank>"}}));
  EXPECT_EQ(t.source_rows, (std::vector<int64_t>{2, 5}));
}

TEST(CsvReader, HeaderOnlyIsAnEmptyTable) {
  const RawTable t = parse_ok("a,b\n");
  EXPECT_EQ(t.columns.size(), 2u);
  EXPECT_TRUE(t.rows.empty());
}

// One format for every table (table_error.hpp): FILE:ROW:COL: column 'NAME': message.
TEST(CsvReader, ErrorsNameFileLineAndColumn) {
  EXPECT_THAT(parse_error("a,b\n1,\"open\n2,3\n"),
              HasSubstr("t.csv:2:2: column 'b': unterminated"));
  EXPECT_THAT(parse_error("a,a\n"), HasSubstr("t.csv:1:2: column 'a': duplicate column name"));
  EXPECT_THAT(parse_error("a,,c\n"), HasSubstr("t.csv:1:2: empty column name"));
  EXPECT_THAT(parse_error("a,b\n1,2\n1,2,3\n"), HasSubstr("t.csv:3:3: more fields"));
  EXPECT_THAT(parse_error("a,b\n1,\xff\n"), HasSubstr("t.csv:2:2: column 'b': invalid UTF-8"));
  EXPECT_THAT(parse_error("a,b\n\"x\"y,1\n"), HasSubstr("t.csv:2:1: column 'a': unexpected"));
  EXPECT_THAT(parse_error(""), HasSubstr("t.csv: empty file"));
  EXPECT_THAT(parse_error("\xEF\xBB\xBF"), HasSubstr("empty file"));
}

TEST(CsvReader, ReadsFromDiskAndReportsMissingFile) {
  testing::TempDir dir;
  testing::write_file(dir.file("x.csv"), "a\n1\n");
  Result<RawTable> t = read_csv(dir.file("x.csv"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, dir.file("x.csv"));
  Result<RawTable> missing = read_csv(dir.file("nope.csv"));
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("nope.csv: cannot open"));
}

}  // namespace
}  // namespace flowline

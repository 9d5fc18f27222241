#include "table/csv_writer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "table/csv_reader.hpp"
#include "table/table_file.hpp"
#include "table_test_util.hpp"

namespace flowline {
namespace {

using ::testing::HasSubstr;

std::string apply(const std::string& text, const std::vector<CellUpdate>& updates) {
  Result<std::string> out = apply_csv_updates(text, "t.csv", updates);
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
  return out.ok() ? *out : "";
}

TEST(CsvWriter, ChangesOnlyTheTargetCell) {
  const std::string in = "name,run_num,lr\r\n\"a, b\",0,0.001\r\nc,1,1e-05\r\n";
  EXPECT_EQ(apply(in, {{1, "run_num", "2"}}),
            "name,run_num,lr\r\n\"a, b\",0,0.001\r\nc,2,1e-05\r\n");
}

TEST(CsvWriter, KeepsDelimiterQuotingAndBom) {
  EXPECT_EQ(apply("\xEF\xBB\xBF\"a\";\"n\"\n\"x\";\"0\"\n", {{0, "n", "1"}}),
            "\xEF\xBB\xBF\"a\";\"n\"\n\"x\";\"1\"\n");
  EXPECT_EQ(apply("a\tn\nx\t0\n", {{0, "n", "tab\there"}}), "a\tn\nx\t\"tab\there\"\n");
  EXPECT_EQ(apply("a,n\nx,\"0\"\n", {{0, "n", "say \"hi\""}}), "a,n\nx,\"say \"\"hi\"\"\"\n");
}

TEST(CsvWriter, AppendsMissingColumnToEveryRecord) {
  EXPECT_EQ(apply("a,b\n1,2\n\n3\n4,5", {{1, "run_num", "1"}}), "a,b,run_num\n1,2,\n\n3,,1\n4,5,");
}

TEST(CsvWriter, MultilineRecordAndLastWriteWins) {
  const std::string in = "a,n\n\"multi\nline\",0\nz,0\n";
  EXPECT_EQ(apply(in, {{0, "n", "5"}, {0, "n", "6"}, {1, "a", "y"}}),
            "a,n\n\"multi\nline\",6\ny,0\n");
}

TEST(CsvWriter, RoundTripsThroughTheReader) {
  const std::string in = "a,n\n\"x\ny\",0\n";
  Result<RawTable> t = parse_csv(apply(in, {{0, "n", "a,\"b\"\nc"}}), "t.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(testing::cells(*t), (testing::Rows{{"x\ny", "a,\"b\"\nc"}}));
}

TEST(CsvWriter, RefusesRowsOutsideTheTable) {
  Result<std::string> out = apply_csv_updates("a\n1\n", "t.csv", {{1, "a", "2"}});
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.error().message, HasSubstr("t.csv: cannot write row 1: the table has 1"));
}

TEST(CsvWriter, WriteCellsReplacesTheFileAndKeepsItsMode) {
  testing::TempDir dir;
  const std::string path = dir.file("todo.csv");
  testing::write_file(path, "name,x\na,1\n");
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  ASSERT_TRUE(write_cells(path, {{0, "run_num", "1"}}).ok());
  EXPECT_EQ(testing::slurp(path), "name,x,run_num\na,1,1\n");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // No temp file is left beside it.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(CsvWriter, WriteThroughASymlinkKeepsTheLink) {
  testing::TempDir dir;
  testing::write_file(dir.file("real.csv"), "a,run_num\nx,0\n");
  std::filesystem::create_symlink("real.csv", dir.file("link.csv"));
  ASSERT_TRUE(write_cells(dir.file("link.csv"), {{0, "run_num", "1"}}).ok());
  EXPECT_TRUE(std::filesystem::is_symlink(dir.file("link.csv")));
  EXPECT_EQ(testing::slurp(dir.file("real.csv")), "a,run_num\nx,1\n");
}

TEST(CsvWriter, UnknownExtensionIsRefused) {
  Status status = write_cells("/tmp/x.ods", {{0, "run_num", "1"}});
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, HasSubstr("use a .csv, .json or .xlsx file"));
}

}  // namespace
}  // namespace flowline

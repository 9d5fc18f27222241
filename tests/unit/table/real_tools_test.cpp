// Files written by LibreOffice and openpyxl are read correctly, and after FlowLine writes
// run_num back those same tools still open them with every value intact.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <charconv>
#include <filesystem>

#include "table/table_file.hpp"
#include "table_test_util.hpp"

namespace flowline {
namespace {

using ::testing::HasSubstr;
using testing::Rows;
using testing::Strings;

RawTable read_ok(const std::string& path) {
  Result<RawTable> t = read_table(path);
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
  return t.ok() ? *t : RawTable{};
}

const Strings kColumns = {"name", "lr", "seed", "note", "flag", "calc"};
const Rows kValues = {{"a, b", "0.001", "1", "say \"hi\"", "true", "6"},
                      {"c", "1e-05", "2", "two\nlines", "false", "a, b"},
                      {"αβ", "2", "<blank>", "x", "<blank>", "<blank>"}};

TEST(RealTools, ReadsLibreOfficeXlsxWithSharedStringsAndFormulas) {
  const RawTable t = read_ok(testing::fixture("tables/libreoffice.xlsx"));
  EXPECT_EQ(t.columns, kColumns);
  EXPECT_EQ(testing::cells(t), kValues);
  EXPECT_EQ(t.source_rows, (std::vector<int64_t>{2, 3, 4}));
}

TEST(RealTools, ReadsOpenpyxlXlsxWithInlineStrings) {
  const RawTable t = read_ok(testing::fixture("tables/openpyxl.xlsx"));
  EXPECT_EQ(t.columns, (Strings{"name", "lr", "seed", "note", "flag"}));
  EXPECT_EQ(testing::cells(t), (Rows{{"a, b", "0.001", "1", "say \"hi\"", "true"},
                                     {"c", "1e-05", "2", "two\nlines", "false"},
                                     {"αβ", "2", "<blank>", " x ", "<blank>"}}));
}

TEST(RealTools, ReadsSourceAndLibreOfficeCsv) {
  const RawTable source = read_ok(testing::fixture("tables/source.csv"));
  EXPECT_EQ(source.columns, kColumns);
  EXPECT_EQ(source.source_rows, (std::vector<int64_t>{2, 3, 5}));
  const RawTable lo = read_ok(testing::fixture("tables/libreoffice.csv"));
  EXPECT_EQ(lo.columns, kColumns);
  // LibreOffice exports what it displays: 1.00E-05, TRUE.
  EXPECT_EQ(testing::cells(lo), (Rows{{"a, b", "0.001", "1", "say \"hi\"", "TRUE", "6"},
                                      {"c", "1.00E-05", "2", "two\nlines", "FALSE", "a, b"},
                                      {"αβ", "2", "<blank>", "x", "<blank>", "<blank>"}}));
}

TEST(RealTools, WritingLibreOfficeCsvTouchesOnlyTheNewColumn) {
  testing::TempDir dir;
  const std::string path = dir.file("lo.csv");
  const std::string original = testing::slurp(testing::fixture("tables/libreoffice.csv"));
  testing::write_file(path, original);
  ASSERT_TRUE(write_cells(path, {{1, "run_num", "1"}}).ok());
  std::string expected = original;
  // Header names are quoted in this file, numbers are not.
  expected.replace(expected.find("\"calc\"") + 6, 0, ",\"run_num\"");
  expected.replace(expected.find(",6\n") + 2, 0, ",");
  expected.replace(expected.find("\"a, b\"\n") + 6, 0, ",1");
  expected.replace(expected.rfind(",,") + 2, 0, ",");
  EXPECT_EQ(testing::slurp(path), expected);
}

// Equal as text, or as numbers (LibreOffice prints 1e-05 as 1.00E-05), or as booleans.
bool same_value(const std::string& ours, const std::string& theirs) {
  if (ours == theirs) return true;
  if ((ours == "true" && theirs == "TRUE") || (ours == "false" && theirs == "FALSE")) return true;
  double a = 0, b = 0;
  const auto ra = std::from_chars(ours.data(), ours.data() + ours.size(), a);
  const auto rb = std::from_chars(theirs.data(), theirs.data() + theirs.size(), b);
  return ra.ec == std::errc() && rb.ec == std::errc() && ra.ptr == ours.data() + ours.size() &&
         rb.ptr == theirs.data() + theirs.size() && a == b;
}

// openpyxl sees every original cell unchanged and run_num where we put it.
constexpr const char* kOpenpyxlCheck = R"PY(
import sys
from openpyxl import load_workbook
orig, new = load_workbook(sys.argv[1]).worksheets[0], load_workbook(sys.argv[2]).worksheets[0]
for row in orig.iter_rows():
    for c in row:
        if new[c.coordinate].value != c.value:
            sys.exit("changed %s: %r -> %r" % (c.coordinate, c.value, new[c.coordinate].value))
col = orig.max_column + 1
print(",".join(repr(new.cell(row=r, column=col).value) for r in range(1, orig.max_row + 1)))
)PY";

TEST(RealTools, RoundTripThroughOpenpyxlAndLibreOffice) {
  testing::TempDir dir;
  const Strings names = {"libreoffice", "openpyxl"};
  std::string soffice_inputs;
  for (const std::string& name : names) {
    const std::string original = testing::fixture("tables/" + name + ".xlsx");
    const std::string copy = dir.file(name + ".xlsx");
    std::filesystem::copy_file(original, copy);
    const RawTable before = read_ok(copy);
    ASSERT_TRUE(write_cells(copy, {{0, "run_num", "1"}, {2, "run_num", "3"}}).ok()) << name;
    const RawTable after = read_ok(copy);
    Strings columns = before.columns;
    columns.push_back("run_num");
    EXPECT_EQ(after.columns, columns) << name;
    Rows expected = testing::cells(before);
    for (size_t i = 0; i < expected.size(); ++i) expected[i].push_back("<blank>");
    expected[0].back() = "1";
    expected[2].back() = "3";
    EXPECT_EQ(testing::cells(after), expected) << name;

    testing::write_file(dir.file("check.py"), kOpenpyxlCheck);
    const auto [rc, out] = testing::run_command("/usr/bin/python3 " + dir.file("check.py") + " " +
                                                original + " " + copy + " 2>&1");
    EXPECT_EQ(rc, 0) << name << ": " << out;
    EXPECT_EQ(out, "'run_num',1,None,3\n") << name;
    soffice_inputs += " " + copy;
  }
  // One LibreOffice run converts both rewritten files back to CSV.
  const auto [rc, out] =
      testing::soffice_to_csv("soffice-profile", dir.file("csv"), soffice_inputs);
  ASSERT_EQ(rc, 0) << out;
  for (const std::string& name : names) {
    const RawTable ours = read_ok(dir.file(name + ".xlsx"));
    const RawTable theirs = read_ok(dir.file("csv/" + name + ".csv"));
    EXPECT_EQ(theirs.columns, ours.columns) << name;
    const Rows a = testing::cells(ours), b = testing::cells(theirs);
    ASSERT_EQ(a.size(), b.size()) << name;
    for (size_t r = 0; r < a.size(); ++r) {
      ASSERT_EQ(a[r].size(), b[r].size());
      for (size_t c = 0; c < a[r].size(); ++c) {
        EXPECT_TRUE(same_value(a[r][c], b[r][c]))
            << name << " row " << r << " col " << c << ": " << a[r][c] << " vs " << b[r][c];
      }
    }
  }
}

}  // namespace
}  // namespace flowline

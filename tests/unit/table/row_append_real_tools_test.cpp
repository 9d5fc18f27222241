// A row FlowLine appends (`add`, `copy`) to a spreadsheet made by LibreOffice or openpyxl is
// what those tools see: openpyxl reads the new row and every old cell as it was, and
// LibreOffice's own CSV export of the result is its export of the original plus that row.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "table/row_append.hpp"
#include "table/table_file.hpp"
#include "table_test_util.hpp"

namespace flowline {
namespace {

using testing::Rows;
using testing::Strings;

const NewRowCells kNewRow = {{"name", "new, row"},
                             {"lr", "0.5"},
                             {"seed", "7"},
                             {"note", "say \"yo\"\nαβ"},
                             {"flag", "true"}};

// Every sheet's old cells keep their value and number format; prints the first sheet's new
// last row.
constexpr const char* kOpenpyxlCheck = R"PY(
import sys
from openpyxl import load_workbook
orig, new = load_workbook(sys.argv[1]), load_workbook(sys.argv[2])
if orig.sheetnames != new.sheetnames:
    sys.exit("sheets %r -> %r" % (orig.sheetnames, new.sheetnames))
for before, after in zip(orig.worksheets, new.worksheets):
    for row in before.iter_rows():
        for c in row:
            n = after[c.coordinate]
            if (n.value, n.number_format) != (c.value, c.number_format):
                sys.exit("%s!%s: %r -> %r" % (before.title, c.coordinate, c.value, n.value))
first, added = orig.worksheets[0], new.worksheets[0]
if added.max_row != first.max_row + 1:
    sys.exit("max_row %d, was %d" % (added.max_row, first.max_row))
print("|".join(repr(c.value) for c in added[added.max_row]))
)PY";

std::string python_check(const testing::TempDir& dir, const std::string& original,
                         const std::string& appended) {
  testing::write_file(dir.file("check.py"), kOpenpyxlCheck);
  const auto [rc, out] =
      testing::run_command("PYTHONIOENCODING=utf-8 /usr/bin/python3 " + dir.file("check.py") + " " +
                           original + " " + appended + " 2>&1");
  return rc == 0 ? out : "python failed (" + std::to_string(rc) + "): " + out;
}

TEST(RealToolsAppend, OpenpyxlAndLibreOfficeSeeTheNewRowAndEveryOldValue) {
  testing::TempDir dir;
  const Strings names = {"libreoffice", "openpyxl"};
  std::string soffice_inputs;
  for (const std::string& name : names) {
    const std::string original = dir.file(name + "-original.xlsx");
    const std::string copy = dir.file(name + ".xlsx");
    std::filesystem::copy_file(testing::fixture("tables/" + name + ".xlsx"), original);
    std::filesystem::copy_file(original, copy);
    const Status s = append_table_row(copy, kNewRow);
    ASSERT_TRUE(s.ok()) << name << ": " << s.error().message;
    // LibreOffice's file has a sixth column, `calc` (formulas), left blank in the new row.
    const std::string blank_calc = name == "libreoffice" ? "|None" : "";
    EXPECT_EQ(python_check(dir, original, copy),
              "'new, row'|0.5|7|'say \"yo\"\\nαβ'|'true'" + blank_calc + "\n")
        << name;
    soffice_inputs += " " + original + " " + copy;
  }
  // One LibreOffice run converts the four files; a profile of its own, so that this test
  // and the other real-tools test may run at once.
  const auto [rc, out] =
      testing::soffice_to_csv("soffice-profile-append", dir.file("csv"), soffice_inputs);
  ASSERT_EQ(rc, 0) << out;
  for (const std::string& name : names) {
    const std::string before = testing::slurp(dir.file("csv/" + name + "-original.csv"));
    const std::string after = testing::slurp(dir.file("csv/" + name + ".csv"));
    ASSERT_FALSE(before.empty()) << name << ": " << out;
    EXPECT_EQ(after.substr(0, before.size()), before) << name;
    Result<RawTable> table = read_table(dir.file("csv/" + name + ".csv"));
    ASSERT_TRUE(table.ok()) << table.error().message;
    ASSERT_FALSE(table->rows.empty());
    Strings expected = {"new, row", "0.5", "7", "say \"yo\"\nαβ", "true"};
    if (name == "libreoffice") expected.push_back("<blank>");
    EXPECT_EQ(testing::cells(*table).back(), expected) << name;
  }
}

}  // namespace
}  // namespace flowline

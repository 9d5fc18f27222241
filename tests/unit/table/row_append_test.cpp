// Appending a row (`add`, `copy`) to a table file: the new row reads back with exactly the
// texts given, and every byte, cell, style and sheet that was there stays as it was.
#include "table/row_append.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "table/table_file.hpp"
#include "table/zip_reader.hpp"
#include "table_test_util.hpp"
#include "xlsx_builder.hpp"

namespace flowline {
namespace {

using ::testing::HasSubstr;
using testing::Rows;
using testing::Strings;

// Writes `content` to DIR/NAME, appends `cells`, and returns the file's new bytes.
class AppendTest : public ::testing::Test {
 protected:
  std::string append(const std::string& name, const std::string& content,
                     const NewRowCells& cells) {
    path_ = dir_.file(name);
    testing::write_file(path_, content);
    const Status s = append_table_row(path_, cells);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return testing::slurp(path_);
  }

  // The whole table as read_table gives it after the append.
  Rows rows() const {
    Result<RawTable> t = read_table(path_);
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
    return t.ok() ? testing::cells(*t) : Rows{};
  }

  // An append that must fail: returns its message, and checks the file kept every byte.
  std::string refused(const std::string& name, const std::string& content,
                      const NewRowCells& cells) {
    path_ = dir_.file(name);
    testing::write_file(path_, content);
    const Status s = append_table_row(path_, cells);
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(testing::slurp(path_), content) << name;
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path()), {}), 1)
        << "a temp file was left beside " << name;
    std::filesystem::remove(path_);
    return s.ok() ? "" : s.error().message;
  }

  testing::TempDir dir_;
  std::string path_;
};

// ---- CSV ----

TEST_F(AppendTest, CsvRecordGoesAfterTheLastOneWithBlanksForColumnsNotGiven) {
  EXPECT_EQ(append("t.csv", "name,lr,seed\na,0.1,1\n", {{"seed", "2"}, {"name", "b"}}),
            "name,lr,seed\na,0.1,1\nb,,2\n");
  EXPECT_EQ(rows(), (Rows{{"a", "0.1", "1"}, {"b", "<blank>", "2"}}));
}

TEST_F(AppendTest, CsvQuotesOnlyWhereNeeded) {
  const NewRowCells cells = {{"a", "x, y"},    {"b", "say \"hi\""}, {"c", "two\nlines"},
                             {"d", "αβ 日本"}, {"e", " lead"},      {"f", "trail "},
                             {"g", "1e-05"},   {"h", "cr\r\nlf"}};
  EXPECT_EQ(append("t.csv", "a,b,c,d,e,f,g,h\n", cells),
            "a,b,c,d,e,f,g,h\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\",αβ 日本,\" lead\","
            "\"trail \",1e-05,\"cr\r\nlf\"\n");
  EXPECT_EQ(rows(), (Rows{{"x, y", "say \"hi\"", "two\nlines", "αβ 日本", " lead", "trail ",
                           "1e-05", "cr\r\nlf"}}));
}

TEST_F(AppendTest, CsvKeepsCrlfBomAndDelimiter) {
  const std::string original = "\xEF\xBB\xBFname;lr\r\n\"a;b\";1\r\n";
  EXPECT_EQ(append("t.csv", original, {{"name", "c;d"}, {"lr", "2,5"}}),
            original + "\"c;d\";2,5\r\n");
  EXPECT_EQ(rows(), (Rows{{"a;b", "1"}, {"c;d", "2,5"}}));
}

TEST_F(AppendTest, CsvWithoutFinalNewlineGetsOneBeforeTheRecord) {
  EXPECT_EQ(append("t.csv", "name,lr\r\na,1", {{"name", "b"}, {"lr", "2"}}),
            "name,lr\r\na,1\r\nb,2\r\n");
  EXPECT_EQ(rows(), (Rows{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(append("h.csv", "name,lr", {{"lr", "3"}}), "name,lr\n,3\n");
  EXPECT_EQ(rows(), (Rows{{"<blank>", "3"}}));
}

TEST_F(AppendTest, CsvRecordGoesBeforeTrailingBlankLines) {
  EXPECT_EQ(append("t.csv", "name,lr\na,1\n\n,\n", {{"name", "b"}}), "name,lr\na,1\nb,\n\n,\n");
  EXPECT_EQ(rows(), (Rows{{"a", "1"}, {"b", "<blank>"}}));
}

TEST_F(AppendTest, CsvWhoseValuesAreAllQuotedGetsQuotedValues) {
  EXPECT_EQ(append("t.csv", "\"name\",\"lr\"\n\"a\",\"1\"\n", {{"name", "b"}, {"lr", "2"}}),
            "\"name\",\"lr\"\n\"a\",\"1\"\n\"b\",\"2\"\n");
  // LibreOffice quotes text but not numbers: a new number stays bare there.
  const std::string lo = testing::slurp(testing::fixture("tables/libreoffice.csv"));
  EXPECT_EQ(append("lo.csv", lo, {{"name", "n"}, {"seed", "4"}}), lo + "n,,4,,,\n");
}

// ---- JSON ----

TEST_F(AppendTest, JsonPrettyPrintedArrayGetsAnElementIndentedLikeTheLast) {
  const std::string original =
      "[\n  {\n    \"name\": \"a\",\n    \"lr\": 0.1,\n    \"flag\": true\n  }\n]\n";
  EXPECT_EQ(append("t.json", original, {{"flag", "false"}, {"name", "b"}, {"lr", "1e-05"}}),
            "[\n  {\n    \"name\": \"a\",\n    \"lr\": 0.1,\n    \"flag\": true\n  },\n  {\n"
            "    \"name\": \"b\",\n    \"lr\": 1e-05,\n    \"flag\": false\n  }\n]\n");
  EXPECT_EQ(rows(), (Rows{{"a", "0.1", "true"}, {"b", "1e-05", "false"}}));
}

TEST_F(AppendTest, JsonOneElementPerLineAndCrlfStaySo) {
  const std::string original =
      "[\r\n    {\"name\": \"a\", \"lr\": 1},\r\n    {\"name\": \"b\"}\r\n]";
  EXPECT_EQ(append("t.json", original, {{"name", "c"}, {"lr", "2"}}),
            "[\r\n    {\"name\": \"a\", \"lr\": 1},\r\n    {\"name\": \"b\"},\r\n"
            "    {\"name\": \"c\", \"lr\": 2}\r\n]");
  EXPECT_EQ(rows(), (Rows{{"a", "1"}, {"b", "<blank>"}, {"c", "2"}}));
}

TEST_F(AppendTest, JsonCompactAndInlineArraysStayOnOneLine) {
  EXPECT_EQ(append("c.json", "[{\"name\":\"a\",\"lr\":1}]", {{"name", "b"}, {"lr", "2"}}),
            "[{\"name\":\"a\",\"lr\":1},{\"name\":\"b\",\"lr\":2}]");
  EXPECT_EQ(append("i.json", "[{\"name\": \"a\", \"lr\": 1}]\n", {{"name", "b"}, {"lr", "2"}}),
            "[{\"name\": \"a\", \"lr\": 1}, {\"name\": \"b\", \"lr\": 2}]\n");
  EXPECT_EQ(rows(), (Rows{{"a", "1"}, {"b", "2"}}));
}

TEST_F(AppendTest, JsonEmptyArrayTakesTheGivenColumnsInOrder) {
  EXPECT_EQ(append("e.json", "[]", {{"name", "a"}, {"lr", "0.5"}}),
            "[{\"name\": \"a\", \"lr\": 0.5}]");
  EXPECT_EQ(rows(), (Rows{{"a", "0.5"}}));
  EXPECT_EQ(append("b.json", "\xEF\xBB\xBF[\n]\n", {{"name", "a"}}),
            "\xEF\xBB\xBF[\n  {\"name\": \"a\"}\n]\n");
  EXPECT_EQ(rows(), (Rows{{"a"}}));
}

TEST_F(AppendTest, JsonKeepsTypesOnlyWhereTheReaderGivesTheSameTextBack) {
  const NewRowCells cells = {{"n", "-1.5e3"},   {"b", "true"},   {"z", "007"},
                             {"d", "1."},       {"u", "null"},   {"q", "say \"hi\"\\"},
                             {"nl", "a\nb\tc"}, {"ctl", "\x01"}, {"uni", "αβ ✓"}};
  std::string header = "[{";
  for (const auto& [key, value] : cells) header += "\"" + key + "\": \"\", ";
  header += "\"blank\": 1}]";
  const std::string out = append("t.json", header, cells);
  EXPECT_THAT(out, HasSubstr("{\"n\": -1.5e3, \"b\": true, \"z\": \"007\", \"d\": \"1.\", "
                             "\"u\": \"null\", \"q\": \"say \\\"hi\\\"\\\\\", "
                             "\"nl\": \"a\\nb\\tc\", \"ctl\": \"\\u0001\", \"uni\": \"αβ ✓\"}]"));
  const Rows got = rows();
  ASSERT_EQ(got.size(), 2u);
  Strings expected;
  for (const auto& [key, value] : cells) expected.push_back(value);
  expected.push_back("<blank>");
  EXPECT_EQ(got[1], expected);
}

// ---- XLSX ----

std::string part(const std::string& path, const std::string& name) {
  const std::string bytes = testing::slurp(path);
  Result<std::unique_ptr<ZipReader>> zip = ZipReader::open(bytes, path);
  if (!zip.ok()) return "<not a zip: " + zip.error().message + ">";
  Result<std::string> data = (*zip)->read(name);
  return data.ok() ? *data : "<no part " + name + ">";
}

const char* kSheetPart = "xl/worksheets/sheet2.xml";  // the first sheet of basic_parts

const std::string kHeader = R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>)"
                            R"(<c r="C1" t="inlineStr"><is><t>seed</t></is></c></row>)";

TEST_F(AppendTest, XlsxRowGoesAfterTheLastAndOtherPartsStayByteForByte) {
  const std::string sheet = testing::sheet_xml(
      kHeader + R"(<row r="2" ht="20" customHeight="1"><c r="A2" s="1" t="s"><v>2</v></c>)"
                R"(<c r="B2"><v>0.001</v></c></row>)",
      R"(<dimension ref="A1:C2"/>)");
  const testing::Parts parts = testing::basic_parts(
      sheet,
      testing::shared_strings_xml("<si><t>name</t></si><si><t>lr</t></si><si><t>a</t></si>"));
  path_ = dir_.file("t.xlsx");
  testing::write_zip(path_, parts);
  const Status s = append_table_row(path_, {{"name", "b & <c>"}, {"lr", "0.5"}, {"seed", "0.10"}});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(rows(), (Rows{{"a", "0.001", "<blank>"}, {"b & <c>", "0.5", "0.10"}}));
  const std::string out = part(path_, kSheetPart);
  EXPECT_THAT(out, HasSubstr(R"(<dimension ref="A1:C3"/>)"));
  // 0.10 would read back as 0.1 from a number cell, so it is text.
  EXPECT_THAT(out, HasSubstr(R"(<c r="B2"><v>0.001</v></c></row><row r="3">)"
                             R"(<c r="A3" t="inlineStr"><is><t xml:space="preserve">)"
                             R"(b &amp; &lt;c&gt;</t></is></c><c r="B3"><v>0.5</v></c>)"
                             R"(<c r="C3" t="inlineStr"><is><t xml:space="preserve">0.10</t>)"
                             R"(</is></c></row></sheetData>)"));
  for (const auto& [name, data] : parts) {
    if (name != kSheetPart) {
      EXPECT_EQ(part(path_, name), data) << name;
    }
  }
}

TEST_F(AppendTest, XlsxFillsAnEmptyRowElementInTheSlotKeepingItsFormat) {
  // Row 3 has a height and an empty styled cell, row 9 only formatting: the new row is 3.
  const std::string sheet = testing::sheet_xml(
      kHeader + R"(<row r="2"><c r="C2"><v>1</v></c></row>)"
                R"(<row r="3" ht="30" customHeight="1"><c r="A3" s="4"/><c r="D3" s="5"/></row>)"
                R"(<row r="9" s="2" customFormat="1"/>)",
      R"(<dimension ref="A1:D9"/>)");
  path_ = dir_.file("t.xlsx");
  testing::write_zip(
      path_, testing::basic_parts(sheet, testing::shared_strings_xml("<si><t>name</t></si>"
                                                                     "<si><t>lr</t></si>")));
  ASSERT_TRUE(append_table_row(path_, {{"name", "x"}, {"seed", "2"}}).ok());
  EXPECT_EQ(rows(), (Rows{{"<blank>", "<blank>", "1"}, {"x", "<blank>", "2"}}));
  const std::string out = part(path_, kSheetPart);
  EXPECT_THAT(out, HasSubstr(R"(<dimension ref="A1:D9"/>)"));
  EXPECT_THAT(out, HasSubstr(R"(<row r="3" ht="30" customHeight="1"><c r="A3" s="4" )"
                             R"(t="inlineStr"><is><t xml:space="preserve">x</t></is></c>)"
                             R"(<c r="C3"><v>2</v></c><c r="D3" s="5"/></row>)"
                             R"(<row r="9" s="2" customFormat="1"/>)"));
}

TEST_F(AppendTest, XlsxInsertsBeforeFormattingRowsAndOpensASelfClosingSlot) {
  const std::string rows_xml =
      kHeader + R"(<row r="2"><c r="A2" t="s"><v>0</v></c></row><row r="7" ht="9"/>)";
  path_ = dir_.file("t.xlsx");
  const std::string shared = testing::shared_strings_xml("<si><t>name</t></si><si><t>lr</t></si>");
  testing::write_zip(path_, testing::basic_parts(testing::sheet_xml(rows_xml), shared));
  ASSERT_TRUE(append_table_row(path_, {{"lr", "3"}}).ok());
  EXPECT_THAT(part(path_, kSheetPart),
              HasSubstr(R"(</row><row r="3"><c r="B3"><v>3</v></c></row><row r="7" ht="9"/>)"));
  EXPECT_EQ(rows(), (Rows{{"name", "<blank>", "<blank>"}, {"<blank>", "3", "<blank>"}}));

  const std::string slot =
      kHeader + R"(<row r="2"><c r="A2" t="s"><v>0</v></c></row><row r="3" ht="9" />)";
  testing::write_zip(path_, testing::basic_parts(testing::sheet_xml(slot), shared));
  ASSERT_TRUE(append_table_row(path_, {{"lr", "4"}}).ok());
  EXPECT_THAT(part(path_, kSheetPart),
              HasSubstr(R"(<row r="3" ht="9"><c r="B3"><v>4</v></c></row></sheetData>)"));
}

TEST_F(AppendTest, XlsxHonoursTheSheetsPrefixAndAHeaderOffTheCorner) {
  const std::string sheet =
      R"(<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>)"
      R"(<x:row r="2"><x:c r="C2" t="inlineStr"><x:is><x:t>name</x:t></x:is></x:c>)"
      R"(<x:c r="D2" t="inlineStr"><x:is><x:t>lr</x:t></x:is></x:c></x:row>)"
      R"(</x:sheetData></x:worksheet>)";
  path_ = dir_.file("t.xlsx");
  testing::write_zip(path_, testing::basic_parts(sheet));
  ASSERT_TRUE(append_table_row(path_, {{"lr", "-2"}, {"name", " two\nlines "}}).ok());
  EXPECT_THAT(part(path_, kSheetPart),
              HasSubstr(R"(<x:row r="3"><x:c r="C3" t="inlineStr"><x:is>)"
                        R"(<x:t xml:space="preserve"> two)"
                        "\n"
                        R"(lines </x:t></x:is></x:c><x:c r="D3"><x:v>-2</x:v></x:c></x:row>)"));
  EXPECT_EQ(rows(), (Rows{{" two\nlines ", "-2"}}));
}

// The packages LibreOffice and openpyxl wrote (shared strings, formulas, styles, a second
// sheet): read_table sees the old rows unchanged and the new one exact.
TEST_F(AppendTest, XlsxFromRealToolsReadsBackExactly) {
  for (const std::string name : {"libreoffice", "openpyxl"}) {
    path_ = dir_.file(name + ".xlsx");
    std::filesystem::copy_file(testing::fixture("tables/" + name + ".xlsx"), path_);
    const Rows before = rows();
    const Status s = append_table_row(path_, {{"name", "n, \"q\""},
                                              {"lr", "1e-05"},
                                              {"seed", "3"},
                                              {"note", "αβ\r\nγ"},
                                              {"flag", "true"}});
    ASSERT_TRUE(s.ok()) << s.error().message;
    Rows expected = before;
    expected.push_back({"n, \"q\"", "1e-05", "3", "αβ\r\nγ", "true"});
    if (name == "libreoffice") expected.back().push_back("<blank>");  // its `calc` column
    EXPECT_EQ(rows(), expected) << name;
  }
}

// ---- refusals ----

TEST_F(AppendTest, UnknownColumnIsRefusedNamingFileColumnAndHeader) {
  const std::string csv = "name,lr\na,1\n";
  std::string message = refused("t.csv", csv, {{"name", "b"}, {"seeed", "1"}});
  EXPECT_THAT(message, HasSubstr(dir_.file("t.csv")));
  EXPECT_THAT(message, HasSubstr("no column \"seeed\" (its columns: name, lr)"));
  message = refused("t.json", "[{\"name\": \"a\"}, {\"lr\": 1}]", {{"seed", "1"}});
  EXPECT_THAT(message, HasSubstr("no column \"seed\" (its columns: name, lr)"));
  path_ = dir_.file("t.xlsx");
  testing::write_zip(
      path_,
      testing::basic_parts(testing::sheet_xml(kHeader),
                           testing::shared_strings_xml("<si><t>name</t></si><si><t>lr</t></si>")));
  const std::string xlsx = testing::slurp(path_);
  std::filesystem::remove(path_);
  message = refused("t.xlsx", xlsx, {{"gpu", "1"}});
  EXPECT_THAT(message, HasSubstr("no column \"gpu\" (its columns: name, lr, seed)"));
}

TEST_F(AppendTest, BadCellsAreRefusedWhateverTheFormat) {
  const std::string csv = "name,lr\na,1\n";
  EXPECT_THAT(refused("t.csv", csv, {{"", "1"}}), HasSubstr("a column name is empty"));
  EXPECT_THAT(refused("t.csv", csv, {{"lr", "1"}, {"lr", "2"}}),
              HasSubstr("column \"lr\" is given twice"));
  EXPECT_THAT(refused("t.csv", csv, {{"lr", ""}}), HasSubstr("the new row has no value"));
  EXPECT_THAT(refused("t.csv", csv, {}), HasSubstr("the new row has no value"));
  EXPECT_THAT(refused("t.csv", csv, {{"name", "\xC3("}}), HasSubstr("not valid UTF-8"));
  EXPECT_THAT(refused("t.json", "[{\"a\": 1}", {{"a", "2"}}), HasSubstr("t.json"));
  EXPECT_THAT(refused("t.txt", csv, {{"name", "x"}}), HasSubstr("unsupported table format"));
  path_ = dir_.file("t.xlsx");
  testing::write_zip(path_,
                     testing::basic_parts(testing::sheet_xml(
                         R"(<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>)")));
  const std::string xlsx = testing::slurp(path_);
  std::filesystem::remove(path_);
  EXPECT_THAT(refused("t.xlsx", xlsx, {{"name", "bell\a"}}),
              HasSubstr("column \"name\" holds a control character"));
}

TEST_F(AppendTest, MissingFileIsAnErrorAndIsNotCreated) {
  const Status s = append_table_row(dir_.file("gone.csv"), {{"name", "x"}});
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, HasSubstr("gone.csv: cannot open"));
  EXPECT_FALSE(std::filesystem::exists(dir_.file("gone.csv")));
}

// Runs append_table_row where the directory cannot take a temp file: as an unprivileged user
// when the tests run as root (root writes anywhere). Returns the error message, or why not.
std::string append_in_read_only_dir(const std::string& dir, const std::string& path) {
  int fds[2];
  if (::pipe(fds) != 0) return "<pipe failed>";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(2);
    const Status s = append_table_row(path, {{"name", "x"}});
    const std::string message = s.ok() ? "<appended>" : s.error().message;
    const bool sent =
        ::write(fds[1], message.data(), message.size()) == static_cast<ssize_t>(message.size());
    ::_exit(sent ? 0 : 3);
  }
  ::close(fds[1]);
  std::string message;
  char buffer[512];
  ssize_t n = 0;
  while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0) message.append(buffer, n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "<child failed>";
  return message;
}

TEST_F(AppendTest, ReadOnlyDirectoryIsAnErrorAndTheFileStaysAsItWas) {
  const std::string sub = dir_.file("ro");
  ASSERT_EQ(::mkdir(sub.c_str(), 0755), 0);
  const std::string path = sub + "/t.csv";
  const std::string csv = "name,lr\na,1\n";
  testing::write_file(path, csv);
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  ASSERT_EQ(::chmod(sub.c_str(), 0555), 0);
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);  // so an unprivileged child can enter
  const std::string message = append_in_read_only_dir(sub, path);
  ::chmod(sub.c_str(), 0755);
  EXPECT_THAT(message, HasSubstr("t.csv: cannot create a temp file beside it"));
  EXPECT_EQ(testing::slurp(path), csv);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(sub), {}), 1);
}

TEST_F(AppendTest, ContentFunctionLeavesTheInputAlone) {
  const std::string csv = "name\na\n";
  Result<std::string> out = append_row_to_content(csv, "t.csv", {{"name", "b"}});
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, "name\na\nb\n");
  EXPECT_FALSE(append_row_to_content(csv, "t.csv", {{"lr", "1"}}).ok());
}

}  // namespace
}  // namespace flowline

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "table/json_reader.hpp"
#include "table/json_writer.hpp"
#include "table_test_util.hpp"

namespace flowline {
namespace {

using ::testing::HasSubstr;
using testing::Rows;
using testing::Strings;

std::string parse_error(const std::string& text) {
  Result<RawTable> table = parse_json(text, "t.json");
  EXPECT_FALSE(table.ok());
  return table.ok() ? "" : table.error().message;
}

TEST(JsonReader, KeepsNumberTextAndUnitesKeys) {
  Result<RawTable> t = parse_json(
      R"([{"name": "a", "lr": 0.001, "ok": true}, {"lr": 1e-05, "seed": 7, "name": null},
          {"name": "\u00e9\ud83d\ude00\n", "ok": false, "seed": ""}])",
      "t.json");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->format, TableFormat::kJson);
  EXPECT_EQ(t->columns, (Strings{"name", "lr", "ok", "seed"}));
  EXPECT_EQ(testing::cells(*t), (Rows{{"a", "0.001", "true", "<blank>"},
                                      {"<blank>", "1e-05", "<blank>", "7"},
                                      {"é😀\n", "<blank>", "false", "<blank>"}}));
  EXPECT_EQ(t->source_rows, (std::vector<int64_t>{1, 1, 2}));  // the line each object starts on
}

TEST(JsonReader, EmptyArrayAndBom) {
  Result<RawTable> t = parse_json("\xEF\xBB\xBF [ ] ", "t.json");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->rows.empty());
}

TEST(JsonReader, ErrorsNameElementAndKey) {
  EXPECT_THAT(parse_error(R"({"a": 1})"), HasSubstr("t.json:1:1: a JSON table must be an array"));
  EXPECT_THAT(parse_error(R"([{"a": 1}, 5])"),
              HasSubstr("t.json:1:12: element 2: array element is not an object"));
  EXPECT_THAT(parse_error("[{\"a\": 1},\n {\"b\": {\"c\": 1}}]"),
              HasSubstr("t.json:2:8: column 'b': nested objects"));
  EXPECT_THAT(parse_error(R"([{"a": [1]}])"),
              HasSubstr("t.json:1:8: column 'a': arrays are not allowed"));
  EXPECT_THAT(parse_error(R"([{"a": 1, "a": 2}])"),
              HasSubstr("t.json:1:16: column 'a': duplicate key"));
  EXPECT_THAT(parse_error("[{\"a\": \"\xff\"}]"),
              HasSubstr("t.json:1:9: column 'a': invalid UTF-8"));
  EXPECT_THAT(parse_error(R"([{"a": 01}])"), HasSubstr("expected `,` or `}`"));
  EXPECT_THAT(parse_error(R"([{"a": "x})"), HasSubstr("unterminated string"));
  EXPECT_THAT(parse_error(R"([{"a": 1}] x)"), HasSubstr("unexpected text after"));
  EXPECT_THAT(parse_error(R"([{"a": "\ud800"}])"), HasSubstr("lone high surrogate"));
  EXPECT_THAT(parse_error(""), HasSubstr("t.json: empty file"));
}

std::string apply(const std::string& text, const std::vector<CellUpdate>& updates) {
  Result<std::string> out = apply_json_updates(text, "t.json", updates);
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
  return out.ok() ? *out : "";
}

TEST(JsonWriter, ReplacesOnlyTheValue) {
  EXPECT_EQ(
      apply(R"([{"lr": 1e-05, "run_num": 0}, {"lr": 0.10, "run_num": 0}])", {{1, "run_num", "3"}}),
      R"([{"lr": 1e-05, "run_num": 0}, {"lr": 0.10, "run_num": 3}])");
  EXPECT_EQ(apply(R"([{"run_num": "0"}])", {{0, "run_num", "1"}}), R"([{"run_num": "1"}])");
  EXPECT_EQ(apply(R"([{"name": "a"}])", {{0, "name", "say \"hi\"\n"}}),
            R"([{"name": "say \"hi\"\n"}])");
}

TEST(JsonWriter, AddsMissingKeyInTheObjectsLayout) {
  EXPECT_EQ(apply(R"([{"a":1},{}])", {{0, "run_num", "1"}, {1, "run_num", "2"}}),
            R"([{"a":1,"run_num":1},{"run_num": 2}])");
  EXPECT_EQ(apply("[\n  {\n    \"a\": 1\n  }\n]\n", {{0, "run_num", "1"}}),
            "[\n  {\n    \"a\": 1,\n    \"run_num\": 1\n  }\n]\n");
}

TEST(JsonWriter, RoundTrips) {
  const std::string out =
      apply(R"([{"a": 0.001}, {"b": true}])", {{1, "a", "x"}, {0, "run_num", "4"}});
  Result<RawTable> t = parse_json(out, "t.json");
  ASSERT_TRUE(t.ok()) << out;
  EXPECT_EQ(t->columns, (Strings{"a", "run_num", "b"}));
  EXPECT_EQ(testing::cells(*t), (Rows{{"0.001", "4", "<blank>"}, {"x", "<blank>", "true"}}));
}

}  // namespace
}  // namespace flowline

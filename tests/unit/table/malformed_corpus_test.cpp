// Every table in tests/fixtures/malformed/ is refused with a message naming the place at
// fault (EXPECTED.tsv), and none crashes (this test runs under ASan/UBSan).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "table/table_file.hpp"
#include "table_test_util.hpp"

namespace flowline {
namespace {

struct Case {
  std::string file;
  std::string expected;
  bool read_level = true;  // false: the table reads fine; task building refuses it
};

std::vector<Case> load_expectations(const std::string& dir) {
  std::vector<Case> cases;
  std::ifstream in(dir + "/EXPECTED.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    Case c{line.substr(0, tab), line.substr(tab + 1)};
    const size_t tab2 = c.expected.find('\t');
    if (tab2 != std::string::npos) {
      c.read_level = c.expected.substr(tab2 + 1) != "check";
      c.expected.resize(tab2);
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

TEST(MalformedCorpus, EveryTableIsRefusedWithItsPlaceNamed) {
  const std::string dir = testing::fixture("malformed");
  const std::vector<Case> cases = load_expectations(dir);
  std::set<std::string> listed;
  int read_level = 0;
  for (const Case& c : cases) {
    listed.insert(c.file);
    if (!c.read_level) continue;
    ++read_level;
    Result<RawTable> table = read_table(dir + "/" + c.file);
    if (table.ok()) {
      ADD_FAILURE() << c.file << " was read without error";
      continue;
    }
    EXPECT_THAT(table.error().message, ::testing::HasSubstr(c.expected)) << c.file;
  }
  EXPECT_GE(read_level, 25);
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename();
    if (name == "EXPECTED.tsv") continue;
    EXPECT_TRUE(listed.count(name)) << name << " has no expectation";
  }
}

}  // namespace
}  // namespace flowline

#include "core/task_params.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace flowline {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(TaskParams, TasksOfOneTableShareTheColumnNames) {
  auto names = std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"lr", "seed"});
  TaskParams first(names, {"0.1", "1"});
  TaskParams second(names, {"0.2", ""});
  EXPECT_EQ(&first.name(0), &second.name(0));
  EXPECT_THAT(second.entries(), ElementsAre(Pair("lr", "0.2"), Pair("seed", "")));
}

TEST(TaskParams, IteratesInColumnOrderAndFindsByName) {
  TaskParams params{{"z", "1"}, {"a", "2"}};
  std::vector<std::string> seen;
  for (const auto& [name, value] : params) seen.push_back(name + "=" + std::string(value));
  EXPECT_THAT(seen, ElementsAre("z=1", "a=2"));
  ASSERT_TRUE(params.find("a").has_value());
  EXPECT_EQ(*params.find("a"), "2");
  EXPECT_FALSE(params.find("b").has_value());
  params.set_value(1, "3");
  EXPECT_EQ(*params.find("a"), "3");
}

TEST(TaskParams, EqualWhenNamesAndValuesAreEqual) {
  EXPECT_EQ((TaskParams{{"a", "1"}}), (TaskParams{{"a", "1"}}));
  EXPECT_NE((TaskParams{{"a", "1"}}), (TaskParams{{"a", "2"}}));
  EXPECT_NE((TaskParams{{"a", "1"}}), (TaskParams{{"b", "1"}}));
  EXPECT_TRUE(TaskParams{}.empty());
}

}  // namespace
}  // namespace flowline

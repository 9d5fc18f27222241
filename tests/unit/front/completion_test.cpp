#include "front/shell/completion.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/fake_engine.hpp"

namespace flowline::shell {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class CompletionTest : public ::testing::Test {
 protected:
  std::vector<std::string> after(const std::string& before) {
    return completion_candidates(before, snap_);
  }
  EngineSnapshot snap_ = testing::FakeEngine::sample_snapshot();
};

TEST_F(CompletionTest, FirstWordIsACommandName) {
  auto names = after("");
  EXPECT_THAT(names, Contains("killgpu"));
  EXPECT_THAT(names, Contains("logs"));
  EXPECT_THAT(names, Contains("reload"));
  EXPECT_EQ(names.size(), 20u);
}

TEST_F(CompletionTest, IdsComeFromTheCurrentSnapshot) {
  EXPECT_THAT(after("kill "), ElementsAre("3", "4"));
  EXPECT_THAT(after("logs "), ElementsAre("3", "4"));
  EXPECT_THAT(after("drop "), ElementsAre("0", "1", "2"));
  EXPECT_THAT(after("killgpu "), ElementsAre("0", "1"));
  snap_.runs.pop_back();
  EXPECT_THAT(after("kill "), ElementsAre("3"));
}

TEST_F(CompletionTest, FlagsAndKeys) {
  EXPECT_THAT(after("gpus "), ElementsAre("--json"));
  EXPECT_THAT(after("logs 3 "), ElementsAre("-f"));
  EXPECT_THAT(after("run "), ElementsAre("on", "off"));
  EXPECT_THAT(after("order free_memory desc, "), Contains("utilization"));
  EXPECT_THAT(after("help "), Contains("retry"));
}

TEST_F(CompletionTest, NothingAfterTheLastArgumentOrForUnknownCommands) {
  EXPECT_THAT(after("kill 3 "), IsEmpty());
  EXPECT_THAT(after("max "), IsEmpty());
  EXPECT_THAT(after("bogus "), IsEmpty());
}

}  // namespace
}  // namespace flowline::shell

// `--on-event PROGRAM` through the real binary (issue 11, step 6): the chosen events reach the
// program as one line of JSON each, nothing else does, and a failing hook is reported without
// changing how FlowLine ends.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "integration/support/process.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class OnEventTest : public ::testing::Test {
 protected:
  Outcome run(std::vector<std::string> extra) {
    std::vector<std::string> args = {"run", "todo.csv", "--batch", "--cmd", "{cmd}"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_flowline(args, dir_.path());
  }
  std::vector<nlohmann::json> told() const {
    std::vector<nlohmann::json> out;
    std::istringstream in(read_file(dir_.file("events.jsonl")));
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
  }

  TempDir dir_;
};

TEST_F(OnEventTest, FinishedFailedAndAllDoneReachTheHookOneLineEach) {
  write_file(dir_.file("todo.csv"),
             "name,gpus,cmd\nfirst,0,true\nbroken,0,exit 3\nsecond,0,true\n");
  Outcome o = run({"--retries", "0", "--on-event", "cat >> events.jsonl", "--on-event-kinds",
                   "finished,failed,all_done"});
  EXPECT_EQ(o.exit_code, 1) << o.err;  // a task failed
  std::vector<nlohmann::json> lines = told();
  ASSERT_EQ(lines.size(), 4u) << read_file(dir_.file("events.jsonl"));
  std::vector<std::string> runs;  // kind:task name, in the order the runs ended
  for (size_t i = 0; i + 1 < lines.size(); ++i)
    runs.push_back(lines[i]["kind"].get<std::string>() + ":" + lines[i].value("task_name", ""));
  EXPECT_THAT(runs, UnorderedElementsAre("finished:first", "finished:second", "failed:broken"));
  const nlohmann::json& end = lines.back();
  EXPECT_EQ(end["kind"], "all_done");
  EXPECT_THAT(end["text"].get<std::string>(), HasSubstr("2 done, 1 failed"));
  const std::string table = std::filesystem::canonical(dir_.file("todo.csv"));
  for (const auto& line : lines) {
    EXPECT_EQ(line["table"], table) << line.dump();
    EXPECT_TRUE(line["seq"].is_number_unsigned()) << line.dump();
    EXPECT_FALSE(line.contains("dropped_before")) << line.dump();
  }
  EXPECT_LT(lines[0]["seq"].get<uint64_t>(), end["seq"].get<uint64_t>());
}

TEST_F(OnEventTest, AFailingHookIsReportedAndFlowLineEndsAsItWould) {
  write_file(dir_.file("todo.csv"), "name,gpus,cmd\nonly,0,true\n");
  Outcome o = run({"--on-event", "echo 'mail: no such user' >&2; exit 5"});  // default kinds
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_THAT(o.err, HasSubstr("flowline: --on-event 'echo 'mail: no such user' >&2; exit 5' "
                               "failed for event"));
  EXPECT_THAT(o.err, HasSubstr("(all_done): exited with status 5: mail: no such user"));
  EXPECT_THAT(o.err, HasSubstr("1 tasks: 1 done"));  // the summary still comes
}

TEST_F(OnEventTest, KindsWithoutAProgramAreRefused) {
  write_file(dir_.file("todo.csv"), "name,gpus,cmd\nonly,0,touch ran\n");
  Outcome o = run({"--on-event-kinds", "failed"});
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_THAT(o.err, HasSubstr("--on-event-kinds needs --on-event PROGRAM"));
  EXPECT_FALSE(file_exists(dir_.file("ran")));
}

}  // namespace
}  // namespace flowline::testing

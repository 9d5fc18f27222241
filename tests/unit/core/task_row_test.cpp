#include "core/task_row.hpp"

#include <gtest/gtest.h>

namespace flowline {
namespace {

Task sample_task() {
  Task t;
  t.id = 4;
  t.name = "resnet-s0";
  t.run_num = 1;
  t.need_run_num = 3;
  t.cmd = "python train.py";
  t.gpus = 2;
  t.min_mem = 6000;
  t.priority = 5;
  t.timeout_ms = 1500;
  t.params = {{"lr", "0.1"}, {"seed", ""}};
  return t;
}

TEST(TaskRow, FollowsTheHeaderThenAddsTheReservedColumnsItLacked) {
  TaskRow row = task_row(sample_task(), {"lr", "name", "seed", "cmd"});
  TaskRow expected = {
      {"lr", "0.1"},     {"name", "resnet-s0"}, {"seed", ""},  {"cmd", "python train.py"},
      {"run_num", "1"},  {"need_run_num", "3"}, {"gpus", "2"}, {"min_mem", "6000"},
      {"priority", "5"}, {"timeout", "1.5"}};
  EXPECT_EQ(row, expected);
}

TEST(TaskRow, BlankMinMemAndTimeoutAreEmptyNotZero) {
  Task t = sample_task();
  t.min_mem.reset();
  t.timeout_ms.reset();
  TaskRow row = task_row(t, {"min_mem", "timeout"});
  EXPECT_EQ(row.at(0), (std::pair<std::string, std::string>{"min_mem", ""}));
  EXPECT_EQ(row.at(1), (std::pair<std::string, std::string>{"timeout", ""}));
}

TEST(TaskRow, WithoutAHeaderReservedColumnsComeFirstThenParameters) {
  TaskRow row = task_row(sample_task());
  ASSERT_EQ(row.size(), 10u);
  EXPECT_EQ(row.at(0).first, "name");
  EXPECT_EQ(row.at(7).first, "timeout");
  EXPECT_EQ(row.at(8), (std::pair<std::string, std::string>{"lr", "0.1"}));
  EXPECT_EQ(row.at(9), (std::pair<std::string, std::string>{"seed", ""}));
}

}  // namespace
}  // namespace flowline

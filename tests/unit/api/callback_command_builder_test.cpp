// The C++ API's builder callback: what it is given and how its failures come back.
#include "api/callback_command_builder.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace flowline {
namespace {

Task sample_task() {
  Task t;
  t.id = 1;
  t.name = "base";
  t.cmd = "train_main";
  t.gpus = 2;
  t.params = {{"lr", "0.01"}, {"batch_size", "64"}};
  return t;
}

TEST(CallbackCommandBuilder, GetsTheRowTheFirstGpuAndAllGpusInOrder) {
  api::Row seen_row;
  int seen_gpu = -2;
  std::vector<int> seen_gpus;
  CallbackCommandBuilder builder(
      [&](const api::Row& row, int gpu_id, const std::vector<int>& sorted_gpu_ids) {
        seen_row = row;
        seen_gpu = gpu_id;
        seen_gpus = sorted_gpu_ids;
        return "python -u train.py --lr " + row.at("lr");
      });
  Result<std::string> command = builder.build(sample_task(), {3, 0}, 1);
  ASSERT_TRUE(command) << command.error().message;
  EXPECT_EQ(*command, "python -u train.py --lr 0.01");
  EXPECT_EQ(seen_gpu, 3);
  EXPECT_EQ(seen_gpus, (std::vector<int>{3, 0}));
  api::Row expected = {{"name", "base"},      {"run_num", "0"}, {"need_run_num", "1"},
                       {"cmd", "train_main"}, {"gpus", "2"},    {"min_mem", ""},
                       {"priority", "0"},     {"timeout", ""},  {"lr", "0.01"},
                       {"batch_size", "64"}};
  EXPECT_EQ(seen_row, expected);
}

TEST(CallbackCommandBuilder, CpuOnlyRunHasGpuIdMinusOne) {
  int seen_gpu = 0;
  CallbackCommandBuilder builder([&](const api::Row&, int gpu_id, const std::vector<int>& ids) {
    seen_gpu = gpu_id;
    return ids.empty() ? "echo cpu" : "echo gpu";
  });
  Task t = sample_task();
  t.gpus = 0;
  Result<std::string> command = builder.build(t, {}, 1);
  ASSERT_TRUE(command);
  EXPECT_EQ(*command, "echo cpu");
  EXPECT_EQ(seen_gpu, -1);
}

TEST(CallbackCommandBuilder, AnExceptionFailsTheLaunchWithItsMessage) {
  CallbackCommandBuilder builder([](const api::Row& row, int, const std::vector<int>&) {
    return std::string("x") + row.at("no_such_column");  // std::out_of_range
  });
  Result<std::string> command = builder.build(sample_task(), {0}, 1);
  ASSERT_FALSE(command);
  EXPECT_EQ(command.error().message.rfind("the builder function threw: ", 0), 0u)
      << command.error().message;

  CallbackCommandBuilder odd(
      [](const api::Row&, int, const std::vector<int>&) -> std::string { throw 42; });
  Result<std::string> odd_command = odd.build(sample_task(), {0}, 1);
  ASSERT_FALSE(odd_command);
  EXPECT_NE(odd_command.error().message.find("not a std::exception"), std::string::npos);
}

TEST(CallbackCommandBuilder, AnEmptyCommandIsAnError) {
  CallbackCommandBuilder builder(
      [](const api::Row&, int, const std::vector<int>&) { return std::string(" \n"); });
  Result<std::string> command = builder.build(sample_task(), {0}, 1);
  ASSERT_FALSE(command);
  EXPECT_EQ(command.error().message, "the builder function returned an empty command");
}

}  // namespace
}  // namespace flowline

#include "core/command_program.hpp"

#include <gtest/gtest.h>

#include "core/command_template.hpp"

namespace flowline {

TEST(MissingProgram, AnOptionOrNothingIsNoProgram) {
  EXPECT_EQ(missing_program("python train.py --lr 0.1"), std::nullopt);
  EXPECT_EQ(missing_program("  CUDA_LAUNCH_BLOCKING=1 python t.py"), std::nullopt);
  EXPECT_EQ(missing_program("--lr 0.1 --seed 0"),
            "the command starts with '--lr', an option, not a program");
  EXPECT_EQ(missing_program("   "), "the command is empty");
  EXPECT_EQ(missing_program(""), "the command is empty");
}

TEST(MissingProgram, TheDefaultTemplateWithoutCmdHasNone) {
  // The original's habit: parameters and no program; `sh -c '--lr 0.1'` fails every run.
  Task task;
  task.params = TaskParams(
      std::make_shared<std::vector<std::string>>(std::vector<std::string>{"lr"}), {"0.1"});
  auto t = CommandTemplate::parse(kDefaultCommandTemplate, {"lr"});
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(missing_program(t->expand(task, {0}, 1)).has_value());
  task.cmd = "python train.py";
  EXPECT_EQ(missing_program(t->expand(task, {0}, 1)), std::nullopt);
}

}  // namespace flowline

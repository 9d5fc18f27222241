#include "core/command_template.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace flowline {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kColumns = {"cmd", "lr", "model", "note", "gpus", "min_mem"};

Task sample_task() {
  Task task;
  task.id = 4;
  task.name = "resnet run";
  task.cmd = "python train.py";
  task.run_num = 1;
  task.need_run_num = 3;
  task.gpus = 2;
  task.min_mem = 8000;
  task.params = {{"lr", "0.001"}, {"model", "resnet50"}, {"note", "it's big"}};
  return task;
}

std::string expand(std::string_view text, const Task& task, std::vector<int> gpus = {2, 5},
                   int64_t run = 2) {
  auto tmpl = CommandTemplate::parse(text, kColumns);
  EXPECT_TRUE(tmpl.ok()) << tmpl.error().message;
  return tmpl.ok() ? tmpl->expand(task, gpus, run) : "";
}

std::string parse_error(std::string_view text) {
  auto tmpl = CommandTemplate::parse(text, kColumns);
  EXPECT_FALSE(tmpl.ok());
  return tmpl.ok() ? "" : tmpl.error().message;
}

TEST(CommandTemplate, DefaultTemplateIsCmdThenArgs) {
  EXPECT_EQ(expand(kDefaultCommandTemplate, sample_task()),
            "python train.py --lr 0.001 --model resnet50 --note 'it'\\''s big'");
}

TEST(CommandTemplate, ArgsSkipsEmptyParametersAndKeepsColumnOrder) {
  Task task = sample_task();
  task.params = {{"z", "1"}, {"a", ""}, {"m", "two words"}};
  EXPECT_EQ(expand("{args}", task), "--z 1 --m 'two words'");
}

TEST(CommandTemplate, EmptyArgsAndCmdLeaveNoStraySpaces) {
  Task task = sample_task();
  task.params = {};
  EXPECT_EQ(expand("{cmd} {args}", task), "python train.py");
  EXPECT_EQ(expand("echo {args} done", task), "echo done");
  task.cmd.clear();
  EXPECT_EQ(expand("{cmd} {args}", task), "");
  task.params = {{"lr", "1"}};
  EXPECT_EQ(expand("{cmd} {args}", task), "--lr 1");
  EXPECT_EQ(expand("python x.py {cmd} {args}", task), "python x.py --lr 1");
}

TEST(CommandTemplate, ColumnPlaceholdersAreQuoted) {
  EXPECT_EQ(expand("run --m {model} --n {note}", sample_task()),
            "run --m resnet50 --n 'it'\\''s big'");
  Task task = sample_task();
  task.params.set_value(0, "");
  EXPECT_EQ(expand("x {lr} y", task), "x '' y");
}

TEST(CommandTemplate, ReservedColumnsAreAvailable) {
  Task task = sample_task();
  task.timeout_ms = 1500;
  EXPECT_EQ(expand("{run_num}/{need_run_num} {min_mem} {priority} {timeout}", task),
            "1/3 8000 0 1.5");
  task.min_mem.reset();
  task.timeout_ms.reset();
  EXPECT_EQ(expand("m={min_mem} t={timeout}", task), "m='' t=''");
}

TEST(CommandTemplate, BuiltinsExpand) {
  EXPECT_EQ(expand("{gpu}|{gpus}|{name}|{task_id}|{run}", sample_task(), {3, 1}, 2),
            "3|3,1|'resnet run'|4|2");
}

TEST(CommandTemplate, CmdIsInsertedUnquoted) {
  Task task = sample_task();
  task.cmd = "cd /tmp && python 'my script.py'";
  EXPECT_EQ(expand("{cmd}", task), "cd /tmp && python 'my script.py'");
}

TEST(CommandTemplate, CpuOnlyGpuPlaceholdersAreEmptyWords) {
  EXPECT_EQ(expand("--device {gpu} --all {gpus}", sample_task(), {}), "--device '' --all ''");
}

TEST(CommandTemplate, DoubledBracesAreLiteral) {
  EXPECT_EQ(expand("awk '{{print $1}}' {model}", sample_task()), "awk '{print $1}' resnet50");
  EXPECT_EQ(expand("{{args}}", sample_task()), "{args}");
}

TEST(CommandTemplate, UnknownPlaceholderNamesItsPositionWithACaret) {
  const std::string message = parse_error("python {modle} x");
  EXPECT_THAT(message, HasSubstr("column 8: unknown placeholder '{modle}'"));
  EXPECT_THAT(message, HasSubstr("{model}"));  // the known ones are listed
  EXPECT_THAT(message, HasSubstr("\n  python {modle} x\n         ^"));
}

TEST(CommandTemplate, PositionCountsCharactersNotBytes) {
  EXPECT_THAT(parse_error("é {x}"), HasSubstr("column 3: unknown placeholder '{x}'"));
}

TEST(CommandTemplate, UnmatchedBracesAndEmptyPlaceholderAreRefused) {
  EXPECT_THAT(parse_error("a {lr"), HasSubstr("column 3: '{' is never closed"));
  EXPECT_THAT(parse_error("a {lr {model}"), HasSubstr("column 3: '{' is never closed"));
  EXPECT_THAT(parse_error("a } b"), HasSubstr("column 3: '}' without a matching '{'"));
  EXPECT_THAT(parse_error("a {} b"), HasSubstr("column 3: empty placeholder '{}'"));
}

TEST(CommandTemplate, ColumnNamesAreMatchedExactly) {
  EXPECT_THAT(parse_error("{LR}"), HasSubstr("unknown placeholder '{LR}'"));
  EXPECT_THAT(parse_error("{ lr }"), HasSubstr("unknown placeholder '{ lr }'"));
  auto tmpl = CommandTemplate::parse("{learning rate}", {"learning rate"});
  ASSERT_TRUE(tmpl.ok());
  Task task;
  task.params = {{"learning rate", "0.1"}};
  EXPECT_EQ(tmpl->expand(task, {0}, 1), "0.1");
}

TEST(CommandTemplate, KeepsItsText) {
  auto tmpl = CommandTemplate::parse("{cmd} --x", kColumns);
  ASSERT_TRUE(tmpl.ok());
  EXPECT_EQ(tmpl->text(), "{cmd} --x");
}

}  // namespace
}  // namespace flowline

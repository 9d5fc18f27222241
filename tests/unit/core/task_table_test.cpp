#include "core/task_table.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace flowline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

RawTable make_table(std::vector<std::string> columns, std::vector<std::vector<CellValue>> rows) {
  RawTable table;
  table.path = "todo.csv";
  table.columns = std::move(columns);
  table.rows = std::move(rows);
  for (size_t i = 0; i < table.rows.size(); ++i) {
    table.source_rows.push_back(static_cast<int64_t>(i) + 2);
  }
  return table;
}

std::string error_of(const RawTable& table) {
  auto tasks = tasks_from_table(table);
  EXPECT_FALSE(tasks.ok());
  return tasks.ok() ? "" : tasks.error().message;
}

// `auto` asks FlowLine to size the task from measured runs (core/learned_memory.hpp).
TEST(TaskTable, MinMemAutoIsNotANumber) {
  auto tasks = tasks_from_table(make_table({"min_mem"}, {{"auto"}, {"7000"}, {{}}}));
  ASSERT_TRUE(tasks.ok()) << tasks.error().message;
  EXPECT_TRUE((*tasks)[0].min_mem_auto);
  EXPECT_FALSE((*tasks)[0].min_mem.has_value());
  EXPECT_EQ(min_mem_text((*tasks)[0]), "auto");
  EXPECT_FALSE((*tasks)[1].min_mem_auto);
  EXPECT_EQ(min_mem_text((*tasks)[1]), "7000");
  EXPECT_EQ(min_mem_text((*tasks)[2]), "");
  EXPECT_THAT(error_of(make_table({"min_mem"}, {{"autox"}})), HasSubstr("or auto"));
}

// The Python FlowLine wrote "No command" into every row it saved (its own todo.xlsx): it is
// read as an empty cmd, so that `--cmd 'python train.py {args}'` works on such a table.
TEST(TaskTable, TheOriginalsNoCommandIsReadAsEmptyWithANote) {
  auto tasks = tasks_from_table(make_table(
      {"cmd", "lr"}, {{"No command", "0.1"}, {" No command ", "0.2"}, {"python t.py", "0.3"}}));
  ASSERT_TRUE(tasks.ok()) << tasks.error().message;
  EXPECT_EQ((*tasks)[0].cmd, "");
  EXPECT_TRUE((*tasks)[0].cmd_placeholder);
  EXPECT_EQ((*tasks)[1].cmd, "");
  EXPECT_EQ((*tasks)[2].cmd, "python t.py");
  EXPECT_FALSE((*tasks)[2].cmd_placeholder);
  EXPECT_EQ(placeholder_cmd_note(*tasks),
            "2 rows have cmd = 'No command' (the Python FlowLine's default): read as empty, so "
            "the template names the program");
  tasks->clear();
  EXPECT_EQ(placeholder_cmd_note(*tasks), "");
}

TEST(TaskTable, MissingReservedColumnsTakeDefaults) {
  auto tasks = tasks_from_table(make_table({"lr", "model"}, {{"0.001", "resnet"}, {"0.01", {}}}));
  ASSERT_TRUE(tasks.ok()) << tasks.error().message;
  ASSERT_EQ(tasks->size(), 2u);
  const Task& t = (*tasks)[1];
  EXPECT_EQ(t.id, 1);
  EXPECT_EQ(t.name, "Task:1");
  EXPECT_EQ(t.run_num, 0);
  EXPECT_EQ(t.need_run_num, 1);
  EXPECT_EQ(t.cmd, "");
  EXPECT_EQ(t.gpus, 1);
  EXPECT_FALSE(t.min_mem.has_value());
  EXPECT_EQ(t.priority, 0);
  EXPECT_FALSE(t.timeout_ms.has_value());
  EXPECT_THAT(t.params.entries(), ElementsAre(Pair("lr", "0.01"), Pair("model", "")));
}

TEST(TaskTable, ReservedValuesAreRead) {
  auto tasks = tasks_from_table(
      make_table({"seed", "name", "run_num", "need_run_num", "cmd", "gpus", "min_mem", "priority",
                  "timeout", "lr"},
                 {{"1", "big", "1", "3", "python train.py", "2", "20000", "-5", "1.5", "0.1"}}));
  ASSERT_TRUE(tasks.ok()) << tasks.error().message;
  const Task& t = tasks->front();
  EXPECT_EQ(t.name, "big");
  EXPECT_EQ(t.run_num, 1);
  EXPECT_EQ(t.need_run_num, 3);
  EXPECT_EQ(t.cmd, "python train.py");
  EXPECT_EQ(t.gpus, 2);
  EXPECT_EQ(t.min_mem, 20000);
  EXPECT_EQ(t.priority, -5);
  EXPECT_EQ(t.timeout_ms, 1500);
  EXPECT_THAT(t.params.entries(), ElementsAre(Pair("seed", "1"), Pair("lr", "0.1")));
}

TEST(TaskTable, BlankReservedCellsTakeDefaults) {
  auto tasks = tasks_from_table(
      make_table({"name", "need_run_num", "gpus", "timeout"}, {{{}, "", " ", {}}}));
  ASSERT_TRUE(tasks.ok()) << tasks.error().message;
  EXPECT_EQ(tasks->front().name, "Task:0");
  EXPECT_EQ(tasks->front().need_run_num, 1);
  EXPECT_EQ(tasks->front().gpus, 1);
  EXPECT_FALSE(tasks->front().timeout_ms.has_value());
}

TEST(TaskTable, WholeNumbersMayBeWrittenWithZeroFraction) {
  auto tasks =
      tasks_from_table(make_table({"gpus", "need_run_num", "gpus2"}, {{"2.0", "3.00", "x"}}));
  ASSERT_TRUE(tasks.ok()) << tasks.error().message;
  EXPECT_EQ(tasks->front().gpus, 2);
  EXPECT_EQ(tasks->front().need_run_num, 3);
}

TEST(TaskTable, CpuOnlyTaskHasZeroGpus) {
  auto tasks = tasks_from_table(make_table({"gpus"}, {{"0"}}));
  ASSERT_TRUE(tasks.ok());
  EXPECT_EQ(tasks->front().gpus, 0);
}

TEST(TaskTable, BadMinMemNamesFileRowColumnAndValue) {
  EXPECT_EQ(error_of(make_table({"lr", "min_mem"}, {{"1", "100"}, {"2", "abc"}})),
            "todo.csv:3:2: column 'min_mem': expected a whole number of MiB ≥ 0 or auto, got "
            "'abc'");
}

TEST(TaskTable, RowNumberComesFromSourceRows) {
  auto table = make_table({"gpus"}, {{"1"}, {"x"}});
  table.source_rows = {7, 12};  // e.g. a CSV record spanning several lines
  EXPECT_THAT(error_of(table), HasSubstr("todo.csv:12:1: column 'gpus'"));
}

TEST(TaskTable, RefusesNegativeAndFractionalCounts) {
  EXPECT_THAT(error_of(make_table({"gpus"}, {{"2.5"}})), HasSubstr("got '2.5'"));
  EXPECT_THAT(error_of(make_table({"gpus"}, {{"-1"}})), HasSubstr("GPUs ≥ 0"));
  EXPECT_THAT(error_of(make_table({"run_num"}, {{"-1"}})), HasSubstr("column 'run_num'"));
  EXPECT_THAT(error_of(make_table({"need_run_num"}, {{"-2"}})), HasSubstr("column 'need_run_num'"));
  EXPECT_THAT(error_of(make_table({"min_mem"}, {{"-100"}})), HasSubstr("got '-100'"));
  EXPECT_THAT(error_of(make_table({"priority"}, {{"high"}})), HasSubstr("got 'high'"));
  EXPECT_THAT(error_of(make_table({"gpus"}, {{"true"}})), HasSubstr("got 'true'"));
  EXPECT_THAT(error_of(make_table({"gpus"}, {{"."}})), HasSubstr("got '.'"));
  EXPECT_THAT(error_of(make_table({"gpus"}, {{"1e3"}})), HasSubstr("got '1e3'"));
}

TEST(TaskTable, RefusesAbsurdGpuCounts) {
  EXPECT_THAT(error_of(make_table({"gpus"}, {{"100000"}})),
              HasSubstr("at most 1024 GPUs per run, got '100000'"));
  EXPECT_TRUE(tasks_from_table(make_table({"gpus"}, {{"1024"}})).ok());
}

TEST(TaskTable, RefusesValuesOutsideInt64) {
  EXPECT_THAT(error_of(make_table({"priority"}, {{"9223372036854775808"}})),
              HasSubstr("got '9223372036854775808'"));
  auto ok = tasks_from_table(make_table({"priority"}, {{"-9223372036854775808"}}));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->front().priority, INT64_MIN);
}

// The user lowered need_run_num below the runs already done: the task is done, and the table
// must still load (it was refused, and then no row could run at all).
TEST(TaskTable, RunNumAboveNeedRunNumMeansDone) {
  auto tasks = tasks_from_table(make_table({"need_run_num", "run_num"}, {{"1", "3"}, {"2", "2"}}));
  ASSERT_TRUE(tasks.ok()) << tasks.error().message;
  EXPECT_EQ((*tasks)[0].run_num, 3);
  EXPECT_EQ((*tasks)[0].remaining_runs(), 0);
  EXPECT_EQ(error_of(make_table({"need_run_num", "run_num"}, {{"x", "3"}})),
            "todo.csv:2:1: column 'need_run_num': expected a whole number of wanted runs ≥ 0, "
            "got 'x'");
}

TEST(TaskTable, TimeoutMustBePositiveSeconds) {
  auto tasks = tasks_from_table(make_table({"timeout"}, {{"3600"}, {"0.25"}}));
  ASSERT_TRUE(tasks.ok());
  EXPECT_EQ((*tasks)[0].timeout_ms, 3'600'000);
  EXPECT_EQ((*tasks)[1].timeout_ms, 250);
  for (const char* bad : {"0", "-5", "abc", "inf", "nan", "0.0001", "1e300", "5s"}) {
    EXPECT_THAT(
        error_of(make_table({"timeout"}, {{bad}})),
        HasSubstr("positive number of seconds (e.g. 3600 or 0.5), got '" + std::string(bad) + "'"))
        << bad;
  }
}

TEST(TaskTable, CollectsEveryErrorOfTheTable) {
  const std::string message =
      error_of(make_table({"gpus", "min_mem"}, {{"x", "1"}, {"1", "y"}, {"z", "w"}}));
  EXPECT_THAT(message, HasSubstr("todo.csv:2:1: column 'gpus'"));
  EXPECT_THAT(message, HasSubstr("todo.csv:3:2: column 'min_mem'"));
  EXPECT_THAT(message, HasSubstr("todo.csv:4:1: column 'gpus'"));
  EXPECT_THAT(message, HasSubstr("todo.csv:4:2: column 'min_mem'"));
}

TEST(TaskTable, CapsTheNumberOfErrorsListed) {
  std::vector<std::vector<CellValue>> rows(25, std::vector<CellValue>{"bad"});
  const std::string message = error_of(make_table({"gpus"}, rows));
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), kMaxTableErrors);
  EXPECT_THAT(message, HasSubstr("todo.csv:21:1:"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("todo.csv:22:1:")));
  EXPECT_THAT(message, HasSubstr("… and 5 more errors"));
}

TEST(TaskTable, ColumnNamesAreCaseSensitive) {
  auto tasks = tasks_from_table(make_table({"GPUS", "Name"}, {{"x", "y"}}));
  ASSERT_TRUE(tasks.ok());
  EXPECT_EQ(tasks->front().gpus, 1);
  EXPECT_EQ(tasks->front().name, "Task:0");
  EXPECT_THAT(tasks->front().params.entries(), ElementsAre(Pair("GPUS", "x"), Pair("Name", "y")));
}

TEST(TaskTable, DuplicateColumnIsRefused) {
  EXPECT_THAT(error_of(make_table({"lr", "lr"}, {{"1", "2"}})),
              HasSubstr("todo.csv:1:2: duplicate column 'lr'"));
}

TEST(TaskTable, RaggedRowIsAnErrorNotACrash) {
  EXPECT_THAT(error_of(make_table({"a", "b"}, {{"1"}})), HasSubstr("todo.csv:2: row has 1"));
}

TEST(TaskTable, TakingTheRowsGivesTheSameTasksAndEmptiesTheTable) {
  auto table = make_table({"name", "cmd", "lr", "note", "gpus"},
                          {{"a long task name that is not inline", "python train.py --flag",
                            "0.001", "a value long enough to live on the heap", "2"},
                           {{}, {}, {}, "x", "0"}});
  auto copied = tasks_from_table(table);
  auto taken = take_tasks_from_table(table);
  ASSERT_TRUE(copied.ok() && taken.ok());
  ASSERT_EQ(taken->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*taken)[i].name, (*copied)[i].name);
    EXPECT_EQ((*taken)[i].cmd, (*copied)[i].cmd);
    EXPECT_EQ((*taken)[i].gpus, (*copied)[i].gpus);
    EXPECT_EQ((*taken)[i].params, (*copied)[i].params);
  }
  EXPECT_EQ((*taken)[0].name, "a long task name that is not inline");
  EXPECT_EQ((*taken)[1].name, "Task:1");
  EXPECT_TRUE(table.rows.empty());
  EXPECT_EQ(table.columns.size(), 5u);
}

TEST(TaskTable, TakingTheRowsStillReportsBadCells) {
  auto table = make_table({"name", "gpus"}, {{"n", "x"}});
  auto taken = take_tasks_from_table(table);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().message,
            "todo.csv:2:2: column 'gpus': expected a whole number of GPUs ≥ 0 (0 = CPU only), "
            "got 'x'");
}

TEST(TaskTable, TimeoutSecondsText) {
  EXPECT_EQ(timeout_seconds_text(90'000), "90");
  EXPECT_EQ(timeout_seconds_text(1'500), "1.5");
  EXPECT_EQ(timeout_seconds_text(250), "0.25");
  EXPECT_EQ(timeout_seconds_text(1'001), "1.001");
}

}  // namespace
}  // namespace flowline

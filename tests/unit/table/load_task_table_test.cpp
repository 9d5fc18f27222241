// load_task_table streams CSV rows straight into tasks; it must give exactly what reading the
// whole table and then building tasks gives: the same tasks, or the same error text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/task_table.hpp"
#include "table/table_file.hpp"
#include "table_test_util.hpp"

namespace flowline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

// What `flowline check` does: the whole table first, then its tasks.
Result<TaskTable> load_in_two_steps(const std::string& path) {
  Result<RawTable> table = read_table(path);
  if (!table.ok()) return table.error();
  Result<std::vector<Task>> tasks = take_tasks_from_table(*table);
  if (!tasks.ok()) return tasks.error();
  return TaskTable{table->columns, std::move(*tasks)};
}

void expect_same(const std::string& path) {
  SCOPED_TRACE(path);
  Result<TaskTable> streamed = load_task_table(path);
  Result<TaskTable> whole = load_in_two_steps(path);
  ASSERT_EQ(streamed.ok(), whole.ok());
  if (!whole.ok()) {
    EXPECT_EQ(streamed.error().message, whole.error().message);
    return;
  }
  EXPECT_EQ(streamed->columns, whole->columns);
  ASSERT_EQ(streamed->tasks.size(), whole->tasks.size());
  for (size_t i = 0; i < whole->tasks.size(); ++i) {
    const Task& a = streamed->tasks[i];
    const Task& b = whole->tasks[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.run_num, b.run_num);
    EXPECT_EQ(a.need_run_num, b.need_run_num);
    EXPECT_EQ(a.cmd, b.cmd);
    EXPECT_EQ(a.gpus, b.gpus);
    EXPECT_EQ(a.min_mem, b.min_mem);
    EXPECT_EQ(a.priority, b.priority);
    EXPECT_EQ(a.timeout_ms, b.timeout_ms);
    EXPECT_EQ(a.params, b.params);
  }
}

TEST(LoadTaskTable, StreamedCsvGivesTheTasksOfTheWholeTable) {
  testing::TempDir dir;
  const std::string path = dir / "t.csv";
  // Blank records are skipped, a quoted field spans lines, a short row gets blanks.
  testing::write_file(path,
                      "name,lr,note,gpus,run_num,need_run_num\n"
                      "a,0.1,\"two\nlines\",2,0,3\n"
                      "\n"
                      ",,,,,\n"
                      "b,1e-05,,0,1,1\n"
                      "c,0.3\n");
  Result<TaskTable> table = load_task_table(path);
  ASSERT_TRUE(table.ok()) << table.error().message;
  ASSERT_EQ(table->tasks.size(), 3u);
  EXPECT_EQ(table->tasks[2].id, 2);
  EXPECT_EQ(table->tasks[2].name, "c");
  EXPECT_THAT(table->tasks[0].params.entries(),
              ElementsAre(Pair("lr", "0.1"), Pair("note", "two\nlines")));
  EXPECT_EQ(table->tasks[0].gpus, 2);
  EXPECT_EQ(table->tasks[1].run_num, 1);
  expect_same(path);
}

TEST(LoadTaskTable, StreamedCsvErrorsNameTheLineTheUserSees) {
  testing::TempDir dir;
  const std::string path = dir / "bad.csv";
  testing::write_file(path,
                      "name,gpus,run_num,need_run_num\n"
                      "a,\"x\ny\",0,1\n"  // line 2, spans two lines
                      "\n"
                      "b,1,x,2\n");  // line 5: run_num not a number
  Result<TaskTable> table = load_task_table(path);
  ASSERT_FALSE(table.ok());
  EXPECT_THAT(table.error().message, HasSubstr(path + ":2:2: column 'gpus'"));
  EXPECT_THAT(table.error().message, HasSubstr(path + ":5:3: column 'run_num'"));
  expect_same(path);
}

TEST(LoadTaskTable, AgreesWithTheWholeTableOnEveryFixtureAndMalformedFile) {
  int checked = 0;
  for (const char* dir : {"tables", "malformed"}) {
    for (const auto& entry : std::filesystem::directory_iterator(testing::fixture(dir))) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".csv" && ext != ".json" && ext != ".xlsx") continue;
      expect_same(entry.path().string());
      ++checked;
    }
  }
  EXPECT_GE(checked, 30);  // the corpus has more than 25 malformed tables
}

}  // namespace
}  // namespace flowline

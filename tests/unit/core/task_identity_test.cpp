// A task is the experiment its row describes (DESIGN.md §2): these are the rules that let rows
// move, and the database keep each task's runs, without mixing experiments up.
#include "core/task_identity.hpp"

#include <gtest/gtest.h>

#include "core/table_model.hpp"
#include "core/task_table.hpp"

namespace flowline {
namespace {

std::vector<Task> load(std::vector<std::string> columns, std::vector<std::vector<CellValue>> rows) {
  RawTable t;
  t.path = "t.csv";
  t.columns = std::move(columns);
  t.rows = std::move(rows);
  auto tasks = tasks_from_table(t);
  EXPECT_TRUE(tasks.ok()) << (tasks.ok() ? "" : tasks.error().message);
  return tasks.ok() ? *tasks : std::vector<Task>{};
}

TEST(TaskIdentity, MovingARowKeepsItsIdentity) {
  auto before = load({"lr", "seed"}, {{"0.1", "1"}, {"0.2", "2"}});
  auto after = load({"lr", "seed"}, {{"0.5", "9"}, {"0.2", "2"}, {"0.1", "1"}});
  EXPECT_EQ(before[0].identity, after[2].identity);
  EXPECT_EQ(before[1].identity, after[1].identity);
  EXPECT_NE(after[0].identity, before[0].identity);
}

TEST(TaskIdentity, BookkeepingColumnsAreNotIdentity) {
  auto a = load({"lr", "run_num", "need_run_num", "priority", "min_mem", "gpus", "timeout"},
                {{"0.1", "0", "1", "0", "", "1", ""}});
  auto b = load({"lr", "run_num", "need_run_num", "priority", "min_mem", "gpus", "timeout"},
                {{"0.1", "3", "5", "9", "8000", "2", "60"}});
  EXPECT_EQ(a[0].identity, b[0].identity);
}

TEST(TaskIdentity, ParametersNameAndCmdAreIdentity) {
  auto t = load({"name", "cmd", "lr"}, {{"a", "python x.py", "0.1"},
                                        {"a", "python x.py", "0.2"},
                                        {"b", "python x.py", "0.1"},
                                        {"a", "python y.py", "0.1"}});
  EXPECT_NE(t[0].identity, t[1].identity);
  EXPECT_NE(t[0].identity, t[2].identity);
  EXPECT_NE(t[0].identity, t[3].identity);
}

// "Task:<row>" is a label: a row without a name keeps its identity when it moves.
TEST(TaskIdentity, ADefaultNameIsALabelOnly) {
  auto a = load({"name", "lr"}, {{std::nullopt, "0.1"}});
  auto b = load({"name", "lr"}, {{std::nullopt, "0.5"}, {std::nullopt, "0.1"}});
  EXPECT_EQ(a[0].name, "Task:0");
  EXPECT_EQ(b[1].name, "Task:1");
  EXPECT_EQ(a[0].identity, b[1].identity);
}

TEST(TaskIdentity, ColumnOrderAndEmptyColumnsDoNotMatter) {
  auto a = load({"lr", "seed"}, {{"0.1", "1"}});
  auto b = load({"seed", "note", "lr"}, {{"1", std::nullopt, "0.1"}});
  EXPECT_EQ(a[0].identity, b[0].identity);
}

// Field boundaries count: ("ab", "c") is not ("a", "bc").
TEST(TaskIdentity, ValuesDoNotRunIntoEachOther) {
  auto t = load({"x", "y"}, {{"ab", "c"}, {"a", "bc"}});
  EXPECT_NE(t[0].identity, t[1].identity);
}

TEST(TaskIdentity, IdenticalRowsAreToldApartByTheirOrderAmongEquals) {
  auto t = load({"lr"}, {{"0.1"}, {"0.2"}, {"0.1"}});
  EXPECT_NE(t[0].identity, t[2].identity);
  // Removing the row between them changes nothing: the first copy is still the first.
  auto u = load({"lr"}, {{"0.1"}, {"0.1"}});
  EXPECT_EQ(t[0].identity, u[0].identity);
  EXPECT_EQ(t[2].identity, u[1].identity);
}

// Saved in the database: the digest of a row must never change between versions.
TEST(TaskIdentity, TheDigestIsStableAndRoundTripsThroughHex) {
  auto t = load({"name", "lr"}, {{"a", "0.1"}});
  const std::string hex = t[0].identity.hex();
  EXPECT_EQ(hex.size(), 32u);
  EXPECT_EQ(TaskIdentity::from_hex(hex), t[0].identity);
  EXPECT_EQ(hex, "d598df1b45ba6a192d21a0cc91d39dbf");
  EXPECT_FALSE(TaskIdentity::from_hex("xyz"));
  EXPECT_FALSE(TaskIdentity::from_hex(std::string(32, 'g')));
}

}  // namespace
}  // namespace flowline

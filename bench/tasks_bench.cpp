// Validation (tasks_from_table) and template expansion for a 100,000-row × 10-column table:
// the part of `flowline check`/`run` start-up that is not file parsing.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/command_template.hpp"
#include "core/task_table.hpp"

namespace {

constexpr int kRows = 100'000;

flowline::RawTable make_table() {
  flowline::RawTable table;
  table.path = "bench.csv";
  table.columns = {"name", "cmd",   "need_run_num", "gpus", "min_mem",
                   "lr",   "model", "dataset",      "seed", "note"};
  for (int i = 0; i < kRows; ++i) {
    table.rows.push_back({"run-" + std::to_string(i), "python train.py", "3", "1", "8000", "0.001",
                          "resnet50", "cifar10", std::to_string(i % 5),
                          i % 7 ? flowline::CellValue() : "has spaces"});
    table.source_rows.push_back(i + 2);
  }
  return table;
}

void BM_TasksFromTable(benchmark::State& state) {
  const auto table = make_table();
  for (auto _ : state) {
    auto tasks = flowline::tasks_from_table(table);
    if (!tasks.ok()) state.SkipWithError(tasks.error().message.c_str());
    benchmark::DoNotOptimize(tasks);
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_TasksFromTable)->Unit(benchmark::kMillisecond);

void BM_ExpandDefaultTemplate(benchmark::State& state) {
  const auto table = make_table();
  const auto tasks = flowline::tasks_from_table(table);
  const auto tmpl =
      flowline::CommandTemplate::parse("{cmd} {args} --out runs/{task_id}/{run}", table.columns);
  if (!tasks.ok() || !tmpl.ok()) {
    state.SkipWithError("setup failed");
    return;
  }
  for (auto _ : state) {
    size_t bytes = 0;
    for (const auto& task : *tasks) bytes += tmpl->expand(task, {0}, task.run_num + 1).size();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_ExpandDefaultTemplate)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

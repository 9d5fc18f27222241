#pragma once
// FlowLine as a C++ library: a table of experiments run on the GPUs of a shared server, with
// the command of each run built by your code and the GPUs tried in your order. The C++ form
// of the original tool's main_cli.py:
//
//   std::string func(const flowline::api::Row& row, int gpu_id, const std::vector<int>& ids);
//   int cmp(const flowline::api::GpuInfo& a, const flowline::api::GpuInfo& b);
//   int main() { return flowline::api::run_cli(func, "todo.csv", cmp); }
//
// Link with -lflowline (installed next to this header's include/ as lib/libflowline.so).
// Self-contained: only the standard library is needed to compile against this header.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flowline::api {

// One GPU as a comparator sees it (the original's GPU_info). What the driver could not tell is
// std::nullopt, never 0. Memory in MiB, utilization in percent, temperature in °C, power in W.
struct GpuInfo {
  int index = 0;
  std::optional<std::string> name;
  std::optional<int64_t> free_memory;
  std::optional<int64_t> total_memory;
  std::optional<int64_t> utilization;
  std::optional<int64_t> user_process_num;  // FlowLine's processes on this GPU
  std::optional<int64_t> all_process_num;   // everyone's
  std::optional<int64_t> temperature;
  std::optional<double> power;
  std::optional<double> max_power;
  bool simulated = false;  // a --sim-gpus GPU
};

// A task's row: every column of the table (reserved ones included, as text) -> its cell.
using Row = std::map<std::string, std::string>;

// The original's func(dict, gpu_id, sorted_gpu_ids): returns the shell command of one run.
// `gpu_id` is the first GPU assigned to the run (-1 for a CPU-only task, gpus = 0) and
// `sorted_gpu_ids` all of them, in the comparator's order. FlowLine sets CUDA_VISIBLE_DEVICES
// to them itself. Throwing (or returning "") fails that launch, which is retried like any
// failed run; other tasks go on. Called on FlowLine's engine thread, one call at a time.
using Builder =
    std::function<std::string(const Row& row, int gpu_id, const std::vector<int>& sorted_gpu_ids)>;

// The original's user_cmp: < 0 when `a` should be tried before `b`, > 0 after, 0 when either
// will do (then the lower index first). It must order consistently (if a before b and b
// before c, then a before c). Empty = `--order` or the default (most free memory first).
using Comparator = std::function<int(const GpuInfo& a, const GpuInfo& b)>;

// The common `flowline run` options (see `flowline run --help`); unset = FlowLine's default.
struct Options {
  std::optional<int64_t> max;            // --max: runs at once
  std::optional<int64_t> min_mem;        // --min-mem: MiB for a task without min_mem
  std::optional<std::vector<int>> gpus;  // --gpus: use only these
  std::optional<std::string> sim_gpus;   // --sim-gpus, e.g. "4x24000"
  std::optional<std::string> state_dir;  // --state-dir (default .flowline/<table file name>)
  std::optional<std::string> log_dir;    // --log-dir (default log/<table file name>)
  std::optional<int64_t> retries;        // --retries
  bool batch = false;                    // --batch: never the interactive shell
  // Any other `flowline run` option as on its command line, e.g. {"--order", "index desc"}
  // or argv's rest; --cmd and --cmd-builder are refused (`func` builds the commands).
  std::vector<std::string> args;
};

// Reads `table` (.csv, .json or .xlsx) and runs it exactly like `flowline run TABLE`, with
// `func` building every command and `cmp` ordering the GPUs. Messages and progress go to
// stderr. Returns FlowLine's exit status: 0 every task done, 1 some task failed or can never
// run, 2 bad input (table, option), 130 stopped by SIGINT/SIGTERM (its runs stopped first).
int run_cli(Builder func, const std::string& table, Comparator cmp = {}, Options options = {});

// The table columns with a meaning of their own (not parameters of the experiment).
inline constexpr std::array<std::string_view, 8> kReservedColumns = {
    "name", "run_num", "need_run_num", "cmd", "gpus", "min_mem", "priority", "timeout"};

inline bool is_reserved_column(std::string_view column) {
  for (std::string_view reserved : kReservedColumns)
    if (column == reserved) return true;
  return false;
}

}  // namespace flowline::api

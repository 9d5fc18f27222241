#!/usr/bin/env bash
# Load and validate (read_table + tasks_from_table) a 100,000-row x 10-column CSV and XLSX,
# plus the in-memory validation/expansion micro-benchmarks. Release build in $BUILD_DIR
# (default build/) or the first argument. Targets (issue 2): CSV < 0.3 s, XLSX < 1.5 s, peak RSS < 150 MB.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD_DIR:-$root/build}}
out=$root/bench/out/tables
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWLINE_BENCH=ON >/dev/null
fi
cmake --build "$build" -j2 --target table_bench tasks_load_bench bench_tasks >/dev/null
mkdir -p "$out"
# Always fresh: the tables benchmark writes run_num into these files.
"$build/bench/table_bench" generate "$out" 100000
# Each file in its own process so peak RSS is its own.
"$build/bench/tasks_load_bench" "$out/bench.csv" 5
"$build/bench/tasks_load_bench" "$out/bench.xlsx" 3
"$build/bench/bench_tasks" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

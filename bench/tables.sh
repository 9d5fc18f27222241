#!/usr/bin/env bash
# Table benchmarks: load a 100,000-row x 10-column table (CSV and XLSX) and write one run_num
# back into the CSV. Release build in $1 or $BUILD_DIR (default build/). Targets (issue 2):
# CSV load < 0.3 s, XLSX load < 1.5 s, peak RSS < 150 MB, CSV write-back < 0.2 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD_DIR:-$root/build}}
out=$root/bench/out/tables
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWLINE_BENCH=ON >/dev/null
fi
cmake --build "$build" -j2 --target table_bench >/dev/null
mkdir -p "$out"
"$build/bench/table_bench" generate "$out" 100000
ls -l "$out"/bench.csv "$out"/bench.xlsx
# Each load runs in its own process so its peak RSS is its own.
"$build/bench/table_bench" load "$out/bench.csv" 5
"$build/bench/table_bench" load "$out/bench.xlsx" 3
"$build/bench/table_bench" write "$out/bench.csv" 5
"$build/bench/table_bench" write "$out/bench.xlsx" 3

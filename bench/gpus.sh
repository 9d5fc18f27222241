#!/usr/bin/env bash
# GPU benchmarks (Release build): sample cost and sampler idle CPU (bench_gpus), and the wall
# time of `flowline gpus` on 8 simulated GPUs (hyperfine). Usage: bench/gpus.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build-rel}"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWLINE_TESTS=OFF -DFLOWLINE_BENCH=ON >/dev/null
cmake --build "$BUILD" -j2 --target flowline bench_gpus
"$BUILD/bench/bench_gpus" 2000 10
STATE="$(mktemp -d)"
trap 'rm -rf "$STATE"' EXIT
"$BUILD/src/flowline" gpus --sim-gpus 8x24000 --state-dir "$STATE" >/dev/null
hyperfine -N --warmup 5 --runs 100 \
  "$BUILD/src/flowline gpus --sim-gpus 8x24000 --state-dir $STATE" \
  "$BUILD/src/flowline gpus --json --sim-gpus 8x24000 --state-dir $STATE"

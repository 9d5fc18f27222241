#!/usr/bin/env bash
# Executor throughput against xargs, side by side: 2000 runs of `true`, 2 at once.
# usage: bench/exec_bench.sh BENCH_EXEC SUPERVISOR [N] [P]
#    or: bench/exec_bench.sh [BUILD_DIR]   (builds bench_exec there; what bench/run_all.sh does)
set -euo pipefail
if [ $# -le 1 ]; then
  build=${1:-build-rel}
  [ -f "$build/CMakeCache.txt" ] || type=-DCMAKE_BUILD_TYPE=Release
  cmake -S "$(dirname "$0")/.." -B "$build" -G Ninja ${type:-} -DFLOWLINE_BENCH=ON >/dev/null
  cmake --build "$build" -j2 --target bench_exec flowline-supervise >/dev/null
  set -- "$build/bench/bench_exec" "$build/src/flowline-supervise"
fi
bench=$1 supervisor=$2 n=${3:-2000} p=${4:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "supervisor: $(ls -l "$supervisor" | awk '{print $5}') bytes; $(ldd "$supervisor" 2>&1 | head -1 | xargs)"
start=$(date +%s.%N)
seq "$n" | xargs -P "$p" -n 1 sh -c true
end=$(date +%s.%N)
echo "xargs -P $p -n 1 sh -c true: $n runs: $(echo "$end - $start" | bc) s, $(echo "$n / ($end - $start)" | bc) runs/s"
"$bench" "$supervisor" "$tmp/runs" "$n" "$p" true
"$bench" "$supervisor" "$tmp/runs-durable" "$n" "$p" true --durable

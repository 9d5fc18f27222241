#!/usr/bin/env bash
# Experiment behind the design question in docs/benchmarks.md ("Throughput: where the rest
# goes"): how fast would 2000 runs of `true` go if the supervisor server's child ran the
# command itself (one process per run, as xargs has), instead of a per-run supervisor that
# starts `sh` (two)? one-process-per-run.patch does exactly that when FL_DIRECT is set, and
# nothing else: nobody records the exit, so every run is called a success. It is a measurement
# of the floor, not a design: it has no timeout, no stop, no crash recovery.
# usage: bench/experiments/one-process-per-run.sh [ROUNDS]  (Release builds, side by side)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build() {  # build SRC DIR
  cmake -S "$1" -B "$2" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWLINE_TESTS=OFF >/dev/null
  cmake --build "$2" -j2 --target flowline flowline-supervise >/dev/null
}
echo "building HEAD and HEAD + one-process-per-run.patch (Release)..."
git -C "$root" archive HEAD | tar -x -C "$tmp" --one-top-level=src-head
cp -r "$tmp/src-head" "$tmp/src-direct"
patch -s -d "$tmp/src-direct" -p1 <"$root/bench/experiments/one-process-per-run.patch"
build "$tmp/src-head" "$tmp/build-head"
build "$tmp/src-direct" "$tmp/build-direct"
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
run() {  # run BUILD DIR [ENV...]: one `flowline run` of the 2000-row table in DIR
  local fl=$1/src/flowline dir=$2; shift 2
  mkdir -p "$dir"
  { echo "name,cmd,gpus"; for i in $(seq 2000); do echo "t$i,true,0"; done; } >"$dir/t.csv"
  (cd "$dir" && env "$@" "$fl" run t.csv --batch --max 2 --cmd '{cmd}' --state-dir st \
     --log-dir log </dev/null 2>/dev/null)
}
echo "2000 tasks of \`true\`, 2 at once; $(nproc) cores"
for r in $(seq "$rounds"); do
  t0=$(now); seq 2000 | xargs -P 2 -n 1 sh -c true; t1=$(now)
  run "$tmp/build-head" "$tmp/head$r"; t2=$(now)
  run "$tmp/build-direct" "$tmp/direct$r" FL_DIRECT=1; t3=$(now)
  x=$(secs "$t0" "$t1"); h=$(secs "$t1" "$t2"); d=$(secs "$t2" "$t3")
  echo "round $r (load $(cut -d' ' -f1 /proc/loadavg)): xargs ${x} s; flowline ${h} s" \
       "($(awk -v a="$x" -v b="$h" 'BEGIN { printf "%.2f", a / b }')x xargs);" \
       "one process per run ${d} s ($(awk -v a="$x" -v b="$d" 'BEGIN { printf "%.2f", a / b }')x xargs)"
done

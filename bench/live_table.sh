#!/usr/bin/env bash
# The live table (issue 10), on a 100,000-row CSV:
#   a. save -> queued: a one-row append saved the way editors save (new file renamed over the
#      table) while FlowLine runs; the time until FlowLine says "table changed: 1 task added"
#      (printed once the new task is queued), for several appends
#   b. exit -> next launch latency of runs one at a time (--max 1), in the same 100,000-row
#      table, without and then with those reloads happening, and FlowLine's CPU time per reload
# usage: bench/live_table.sh [BUILD_DIR] — a Release build (default build-rel, configured and
# built when missing). APPENDS=N (default 8) saves per round; RUNS=N (default 1000) runs per
# round. A "keeper" task holds one of two slots (--max 2) until the round's saves are done, so
# FlowLine is still running when they land; the stamped runs go one at a time in the other.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$root" && mkdir -p "${1:-build-rel}" && cd "${1:-build-rel}" && pwd)
appends=${APPENDS:-8}
runs=${RUNS:-1000}
rows=100000
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWLINE_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j2 --target flowline flowline-supervise >/dev/null
fl=$build/src/flowline
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "live-table benchmarks: $(date -u '+%F %T') UTC, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "flowline: $fl ($(grep -m1 CMAKE_BUILD_TYPE: "$build/CMakeCache.txt" | cut -d= -f2))"

# Each run stamps $EPOCHREALTIME first and last (bench/engine.sh's method): the gap between one
# run's end and the next one's start is the exit-to-launch latency as the runs see it.
cat >"$tmp/stamp.sh" <<'STAMP'
s=$EPOCHREALTIME
e=$EPOCHREALTIME
echo "$s $e" >>"$1"
STAMP
latency() {
  sort -n "$1" | awk 'NR > 1 { printf "%.3f\n", ($1 - e) * 1000 } { e = $2 }' | sort -n |
    awk '{ g[NR] = $1 } END {
      printf "p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%d gaps)", g[int(NR * 0.5 + 0.5)], g[int(NR * 0.99 + 0.5)], g[NR], NR
    }'
}
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ t += $1 } END { printf "%.0f", t }'; }

# The table: $runs stamp rows that run, then filler rows already done (need_run_num 0), so
# that the table is 100,000 rows without 100,000 runs.
make_table() {  # DIR
  { echo "name,lr,seed,cmd,gpus,need_run_num,priority"
    echo "keeper,0,0,while [ ! -e $1/saved ]; do sleep 0.05; done,0,1,1"
    for i in $(seq "$runs"); do echo "s$i,0.1,$i,bash $tmp/stamp.sh $1/stamps,0,1,0"; done
    awk -v n=$((rows - runs - 1)) 'BEGIN { for (i = 1; i <= n; i++) printf "f%d,0.01,%d,true,0,0,0\n", i, i }'
  } >"$1/t.csv"
}

# round LABEL RELOADS: runs the table; with RELOADS, appends one row every ~0.4 s meanwhile.
round() {
  local label=$1 reloads=$2 d=$tmp/$1
  mkdir -p "$d"; make_table "$d"
  (cd "$d" && exec "$fl" run t.csv --batch --max 2 --cmd '{cmd}' --state-dir st --log-dir log \
     </dev/null 2> >(while IFS= read -r line; do echo "$EPOCHREALTIME $line"; done >"$d/stderr")) &
  local pid=$!
  while [ ! -s "$d/stamps" ]; do sleep 0.05; done  # running
  local fpid; fpid=$(pgrep -n -f "$fl run t.csv" || echo "$pid")
  local cpu0; cpu0=$(cpu_ns "$fpid")
  : >"$d/saves"
  for i in $(seq "$reloads"); do
    sleep 0.3
    cp "$d/t.csv" "$d/next.csv"
    echo "added$i,0.5,$i,true,0,1,0" >>"$d/next.csv"
    echo "$EPOCHREALTIME" >>"$d/saves"
    mv "$d/next.csv" "$d/t.csv"
    # wait (at most 10 s) until it is applied before the next save, so each save is one reload
    for _ in $(seq 500); do
      [ "$(grep -c 'table changed' "$d/stderr" || true)" -ge "$i" ] && break
      sleep 0.02
    done
  done
  # the keeper holds its slot until every stamped run is done, so they stay one at a time
  for _ in $(seq 3000); do
    [ "$(wc -l <"$d/stamps")" -ge "$runs" ] && break
    sleep 0.02
  done
  local cpu1; cpu1=$(cpu_ns "$fpid")
  touch "$d/saved"
  wait "$pid" || true
  echo "  $label: exit -> next launch $(latency "$d/stamps")"
  if [ "$reloads" -gt 0 ]; then
    grep 'table changed' "$d/stderr" | awk '{ print $1 }' >"$d/applied"
    paste "$d/saves" "$d/applied" | awk '{ d = ($2 - $1) * 1000; s += d; if (d > m) m = d; l = l sprintf("%s%.0f", (NR > 1 ? ", " : ""), d) }
      END { printf "  save -> queued (ms, each of %d appends): %s; mean %.0f, max %.0f\n", NR, l, s / NR, m }'
  fi
  echo "  FlowLine CPU over the round: $(( (cpu1 - cpu0) / 1000000 )) ms ($(( (cpu1 - cpu0) / 1000 / runs )) µs per run)"
}

echo "a/b. $rows-row CSV, $runs runs one at a time (--max 2, one slot held), load $(cut -d' ' -f1 /proc/loadavg)"
round quiet 0
round reloading "$appends"

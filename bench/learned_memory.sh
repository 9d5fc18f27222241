#!/usr/bin/env bash
# Memory that learns (issue 13): a seeded 200-task mixed-memory trace on 4 simulated 24000 MiB
# GPUs with min_mem left blank, run three ways in one script run:
#   a. --min-mem auto --mem-group group: sized from measured runs of each group
#   b. every min_mem exactly right (a copy of the table with the true values): the reference
#   c. the default 10000 MiB for every task (the 15000 MiB group dies of out-of-memory)
#   and a with --mem-margin 5 and 0, to show what the default 10 % margin costs
# Each: makespan (first start to last end in the store), wall time, CPU time of `flowline run`
# and everything it waited for, and the runs by state (OOM deaths counted from the store).
# Target: a ≤ 1.10 × b.
# usage: bench/learned_memory.sh [BUILD_DIR] — a Release build (default build-rel, configured
# and built when missing). SEED=N changes the trace (default 7).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$root" && mkdir -p "${1:-build-rel}" && cd "${1:-build-rel}" && pwd)
seed=${SEED:-7}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWLINE_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j2 --target flowline flowline-supervise >/dev/null
fl=$build/src/flowline
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Three groups, as a grid of models would be: each group's runs use the same memory.
awk -v seed="$seed" -v fl="$fl" 'BEGIN {
  srand(seed); print "name,group,cmd,gpus,min_mem"
  split("3000 7000 15000", mem, " "); split("small medium large", name, " ")
  for (i = 0; i < 200; ++i) {
    g = 1 + int(rand() * 3)
    secs = (5 + int(rand() * 16)) / 10     # 0.5..2.0 s
    printf "j%d,%s,%s sim-job --mem %d --secs %.1f,1,\n", i, name[g], fl, mem[g], secs
  }
}' >"$tmp/blank.csv"
# The same table with every min_mem exactly what its run allocates.
awk -F, -v OFS=, 'NR == 1 { print; next } { split($3, w, " "); $5 = w[4]; print }' \
  "$tmp/blank.csv" >"$tmp/exact.csv"
bound=$(awk -F, 'NR > 1 { split($3, w, " "); m = w[4]; s = w[6]; area += m * s; if (s > top) top = s }
  END { b = area / (4 * 24000); if (top > b) b = top; printf "%.2f", b }' "$tmp/blank.csv")
echo "200 tasks (seed $seed): groups of 3000/7000/15000 MiB, sim-job --secs 0.5..2.0," \
     "4 x 24000 MiB, --max 64"
echo "  lower bound max(sum mem*secs / 96000, longest) = $bound s"

# trace LABEL TABLE [OPTION...]: one `flowline run` of the trace with those extra options.
trace() {
  local label=$1 table=$2; shift 2
  local dir=$tmp/run-$table-$(echo "$*" | tr -c 'a-z0-9' _)
  mkdir -p "$dir"; cp "$tmp/$table.csv" "$dir/t.csv"
  local t0 t1 cpu span states oom
  t0=$(date +%s%N)
  cpu=$( { TIMEFORMAT='%U %S'; time (cd "$dir" && "$fl" run t.csv --batch --max 64 --cmd '{cmd}' \
      --state-dir st --log-dir log --sim-gpus 4x24000 "$@" </dev/null >/dev/null 2>"$dir/stderr" \
      || echo "  !! flowline run failed: $(tail -n 1 "$dir/stderr")" >&2); } 2>&1 | tail -n 1)
  t1=$(date +%s%N)
  span=$(sqlite3 "$dir/st/flowline.db" "select (max(end_ms) - min(start_ms)) / 1000.0 from runs")
  states=$(sqlite3 "$dir/st/flowline.db" \
    "select group_concat(state || ' ' || c, ', ') from (select state, count(*) c from runs group by state)")
  oom=$(sqlite3 "$dir/st/flowline.db" "select count(*) from runs where state = 'oom'")
  echo "$label|$span|$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')|$(echo "$cpu" | awk '{ printf "%.2f", $1 + $2 }')|$oom|$states"
}

results=$tmp/results
trace "a. --min-mem auto --mem-group group" blank --min-mem auto --mem-group group >>"$results"
trace "b. min_mem exactly right" exact >>"$results"
trace "c. default 10000 MiB" blank >>"$results"
# What the 10 % margin costs here: sim-job uses exactly the same memory every run, so the
# margin only keeps a 15000 MiB run (16500 asked) from sharing a GPU with a 7000 one (7700).
trace "a'. as a, --mem-margin 5" blank --min-mem auto --mem-group group --mem-margin 5 >>"$results"
trace "a''. as a, --mem-margin 0" blank --min-mem auto --mem-group group --mem-margin 0 >>"$results"
exact=$(awk -F'|' 'NR == 2 { print $2 }' "$results")
echo
echo "| | makespan | vs b | wall | CPU (user+sys) | OOM deaths | runs by state |"
echo "|---|---|---|---|---|---|---|"
awk -F'|' -v b="$exact" '{ printf "| %s | %.2f s | %.3fx | %s s | %s s | %s | %s |\n", $1, $2, $2 / b, $3, $4, $5, $6 }' "$results"

#!/usr/bin/env bash
# The engine's benchmarks (issue 4), side by side in one script run:
#   a. throughput: 2000 tasks of `true`, 2 at once — `flowline run --batch` against xargs,
#      task-spooler and GNU parallel (when installed) doing the same 2000 `sh -c true`; with the
#      CPU per task of xargs and of FlowLine (its supervisors and the commands included)
#   b. latency from a run's exit to the next launch (--max 1), from the runs' own timestamps,
#      with xargs -P 1 running the same command as the floor no launcher can beat
#   c. FlowLine's idle CPU and RSS while 4 runs sleep (without GPUs, and on 4 simulated GPUs
#      with the 1 Hz sampler)
#   d. makespan of a seeded 200-task mixed-memory trace on 4 simulated GPUs against its lower
#      bound max(sum mem*time / sum capacity, longest task)
# usage: bench/engine.sh [BUILD_DIR] — a Release build (default build-rel, configured and built
# when missing). ROUNDS=N repeats a–b (default 2); SEED=N changes d's trace (default 7);
# PARTS=ad runs only those parts; WITH_PARALLEL=1 adds GNU parallel to a. (slow: 4-5x xargs' time on a loaded machine).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$root" && mkdir -p "${1:-build-rel}" && cd "${1:-build-rel}" && pwd)
rounds=${ROUNDS:-2}
parts=${PARTS:-abcd}
want() { [[ $parts == *$1* ]]; }
seed=${SEED:-7}
n=2000
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWLINE_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j2 --target flowline flowline-supervise >/dev/null
fl=$build/src/flowline
tmp=$(mktemp -d)
cleanup() {
  [ -n "${TS_SOCKET:-}" ] && tsp -K >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

now_ns() { date +%s%N; }
# rate LABEL COUNT START_NS END_NS [BASE_RATE]: prints one result line, sets $rate.
report_rate() {
  local label=$1 count=$2 t0=$3 t1=$4 base=${5:-}
  rate=$(awk -v n="$count" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / ((b - a) / 1e9) }')
  local secs ratio=""
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  [ -n "$base" ] && ratio=$(awk -v r="$rate" -v b="$base" 'BEGIN { printf " (%.2fx xargs)", r / b }')
  printf '  %-44s %6s s  %5s tasks/s%s\n' "$label" "$secs" "$rate" "$ratio"
}

# report_cpu FILE COUNT [BASE]: CPU per task (user + system, with every child: supervisors and
# commands) from GNU time's "%U %S" in FILE; sets $cpu (ms per task).
report_cpu() {
  local file=$1 count=$2 base=${3:-} ratio=""
  cpu=$(awk -v n="$count" '{ printf "%.2f", ($1 + $2) * 1000 / n }' "$file")
  [ -n "$base" ] && ratio=$(awk -v c="$cpu" -v b="$base" 'BEGIN { printf " (%.2fx xargs)", c / b }')
  printf '  %-44s %6s ms of CPU per task%s\n' "" "$cpu" "$ratio"
}

echo "engine benchmarks: $(date -u '+%F %T') UTC, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "flowline: $fl ($(grep -m1 CMAKE_BUILD_TYPE: "$build/CMakeCache.txt" | cut -d= -f2))"

# --- a. throughput ------------------------------------------------------------------------
{ echo "name,cmd,gpus"; for i in $(seq "$n"); do echo "t$i,true,0"; done; } >"$tmp/true.csv"
want a && for r in $(seq "$rounds"); do
  echo "a. $n tasks of \`true\`, 2 at once (round $r/$rounds; load $(cut -d' ' -f1 /proc/loadavg))"
  t0=$(now_ns)
  seq "$n" | /usr/bin/time -o "$tmp/cpu-xargs" -f '%U %S' xargs -P 2 -n 1 sh -c true
  t1=$(now_ns)
  report_rate "xargs -P 2 -n 1 sh -c true" "$n" "$t0" "$t1"; xargs_rate=$rate
  report_cpu "$tmp/cpu-xargs" "$n"; xargs_cpu=$cpu

  d=$tmp/a$r; mkdir -p "$d"; cp "$tmp/true.csv" "$d/t.csv"
  t0=$(now_ns)
  (cd "$d" && /usr/bin/time -o "$tmp/cpu-flowline" -f '%U %S' \
     "$fl" run t.csv --batch --max 2 --cmd '{cmd}' --state-dir st --log-dir log \
     </dev/null 2>"$d/stderr")
  t1=$(now_ns)
  report_rate "flowline run --batch --max 2" "$n" "$t0" "$t1" "$xargs_rate"
  report_cpu "$tmp/cpu-flowline" "$n" "$xargs_cpu"
  ok=$(sqlite3 "$d/st/flowline.db" "select count(*) from runs where state='succeeded'" 2>/dev/null || echo '?')
  [ "$ok" = "$n" ] || echo "  !! flowline recorded $ok successful runs, expected $n"

  if command -v tsp >/dev/null; then
    export TS_SOCKET=$tmp/tsp.sock TMPDIR=$tmp
    tsp -K >/dev/null 2>&1 || true
    tsp -S 2 >/dev/null
    t0=$(now_ns)
    for i in $(seq "$n"); do tsp -n sh -c true >/dev/null; done
    last=$(tsp -n -N 2 true)  # needs both slots: starts after every job before it has ended
    tsp -w "$last" >/dev/null 2>&1 || true
    t1=$(now_ns)
    report_rate "task-spooler (tsp -S 2; one tsp call a task)" "$n" "$t0" "$t1" "$xargs_rate"
    tsp -K >/dev/null 2>&1 || true
    unset TS_SOCKET TMPDIR
  fi
  if [ -n "${WITH_PARALLEL:-}" ] && command -v parallel >/dev/null; then
    t0=$(now_ns); seq "$n" | parallel --will-cite -j 2 -N0 sh -c true; t1=$(now_ns)
    report_rate "GNU parallel -j 2 sh -c true" "$n" "$t0" "$t1" "$xargs_rate"
  fi
done

# --- b. latency from a run's exit to the next launch --------------------------------------
# Each run is bash stamping $EPOCHREALTIME (no fork) first and last; the gap between one run's
# last stamp and the next run's first stamp is the exit-to-launch latency as the runs see it,
# including sh and bash starting up. xargs -P 1 running the same `sh -c 'bash stamp.sh'`
# measures that floor; FlowLine's own share is the difference (plus its supervisor's exec).
m=300
cat >"$tmp/stamp.sh" <<EOF
s=\$EPOCHREALTIME
e=\$EPOCHREALTIME
echo "\$s \$e" >>"\$1"
EOF
# latency FILE: p50/p99/max of (start of run i+1 - end of run i), in ms
latency() {
  sort -n "$1" | awk 'NR > 1 { printf "%.3f\n", ($1 - e) * 1000 } { e = $2 }' | sort -n |
    awk '{ g[NR] = $1 } END {
      printf "p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%d gaps)", g[int(NR * 0.5 + 0.5)], g[int(NR * 0.99 + 0.5)], g[NR], NR
    }'
}
want b && for r in $(seq "$rounds"); do
  echo "b. exit-to-launch latency, $m runs one at a time (round $r/$rounds; load $(cut -d' ' -f1 /proc/loadavg))"
  seq "$m" | xargs -P 1 -I{} sh -c "bash $tmp/stamp.sh $tmp/xargs-stamps$r"
  echo "  xargs -P 1 sh -c 'bash stamp.sh': $(latency "$tmp/xargs-stamps$r")"
  d=$tmp/b$r; mkdir -p "$d"
  { echo "name,cmd,gpus"; for i in $(seq "$m"); do echo "s$i,bash $tmp/stamp.sh $d/stamps,0"; done; } >"$d/t.csv"
  (cd "$d" && "$fl" run t.csv --batch --max 1 --cmd '{cmd}' --state-dir st --log-dir log \
     </dev/null 2>"$d/stderr")
  echo "  flowline run --batch --max 1:     $(latency "$d/stamps")"
done

# --- c. idle CPU and RSS ------------------------------------------------------------------
# cpu_ns PID: CPU time of all of a process's threads in ns (schedstat; /proc/PID/stat counts
# 10 ms ticks, too coarse for an idle process)
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{ t += $1 } END { printf "%d", t }'; }
idle() {  # idle LABEL EXTRA_ARGS...
  local label=$1; shift
  local d=$tmp/c-$label; mkdir -p "$d"
  { echo "name,cmd,gpus,min_mem"; for i in 1 2 3 4; do echo "sleep$i,sleep 60,$gpus,1000"; done; } >"$d/t.csv"
  (cd "$d" && exec "$fl" run t.csv --batch --max 4 --cmd '{cmd}' --state-dir st --log-dir log "$@" \
     </dev/null 2>"$d/stderr") &
  local pid=$!
  sleep 2
  local c0 c1; c0=$(cpu_ns "$pid")
  sleep 10
  c1=$(cpu_ns "$pid")
  local rss hwm threads
  rss=$(awk '/VmRSS/ { print $2 / 1024 }' "/proc/$pid/status")
  hwm=$(awk '/VmHWM/ { print $2 / 1024 }' "/proc/$pid/status")
  threads=$(awk '/Threads/ { print $2 }' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" || true
  printf '  %-34s CPU %.1f ms in 10 s (%.3f%% of a core); RSS %.1f MB, peak %.1f MB; %s threads\n' \
    "$label" "$(awk -v t=$((c1 - c0)) 'BEGIN { print t / 1e6 }')" \
    "$(awk -v t=$((c1 - c0)) 'BEGIN { print t / 1e10 * 100 }')" "$rss" "$hwm" "$threads"
}
if want c; then
echo "c. idle: 4 runs of \`sleep 60\` (sampled from 2 s to 12 s after the start)"
gpus=0 idle "no GPUs"
gpus=1 idle "4 simulated GPUs (1 Hz sampler)" --sim-gpus 4x24000
# Peak RSS of the whole 2000-task run of a. (GNU time's maximum resident set size).
d=$tmp/c-peak; mkdir -p "$d"; cp "$tmp/true.csv" "$d/t.csv"
peak=$(cd "$d" && /usr/bin/time -f '%M' "$fl" run t.csv --batch --max 2 --cmd '{cmd}' \
       --state-dir st --log-dir log </dev/null 2>&1 >/dev/null | tail -1)
echo "  peak RSS over a. ($n tasks):     $(awk -v k="$peak" 'BEGIN { printf "%.1f MB", k / 1024 }')"

fi

# --- d. makespan of a mixed-memory trace on 4 simulated GPUs ------------------------------
want d || exit 0
d=$tmp/d; mkdir -p "$d"
awk -v seed="$seed" -v fl="$fl" 'BEGIN {
  srand(seed); print "name,cmd,gpus,min_mem"
  for (i = 0; i < 200; ++i) {
    mem = 2000 + int(rand() * 19) * 1000   # 2000..20000 MiB
    secs = (2 + int(rand() * 19)) / 10     # 0.2..2.0 s
    printf "j%d,%s sim-job --mem %d --secs %.1f,1,%d\n", i, fl, mem, secs, mem
  }
}' >"$d/t.csv"
bound=$(awk -F, 'NR > 1 { split($2, w, " "); m = w[4]; s = w[6]; area += m * s; if (s > top) top = s }
  END { b = area / (4 * 24000); if (top > b) b = top; printf "%.2f", b }' "$d/t.csv")
echo "d. makespan, 200 tasks (seed $seed), sim-job --mem 2000..20000 --secs 0.2..2.0, 4 x 24000 MiB, --max 64"
# makespan LABEL TABLE [OPTION...]: one run of the trace with those extra `flowline run`
# options; the span is first start to last end in the store.
makespan() {
  local label=$1 table=$2; shift 2
  local dir; dir=$tmp/d-$table-$(echo "$*" | tr -c 'a-z0-9' _); mkdir -p "$dir"; cp "$d/$table.csv" "$dir/t.csv"
  local t0 t1 wall span states
  t0=$(now_ns)
  (cd "$dir" && "$fl" run t.csv --batch --max 64 --cmd '{cmd}' --state-dir st --log-dir log \
     --sim-gpus 4x24000 "$@" </dev/null 2>"$dir/stderr") || echo "  !! flowline run failed: $(tail -n 1 "$dir/stderr")"
  t1=$(now_ns)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
  span=$(sqlite3 "$dir/st/flowline.db" "select (max(end_ms) - min(start_ms)) / 1000.0 from runs")
  states=$(sqlite3 "$dir/st/flowline.db" "select group_concat(state || ' ' || c, ', ') from (select state, count(*) c from runs group by state)")
  echo "  $label: first start to last end $span s ($(awk -v a="$span" -v b="$bound" 'BEGIN { printf "%.3f", a / b }')x);" \
       "wall time $wall s ($(awk -v a="$wall" -v b="$bound" 'BEGIN { printf "%.3f", a / b }')x); runs: $states"
}
echo "  lower bound max(sum mem*secs / 96000, longest) = $bound s"
makespan "table order (the default)" t
# Best fit: each run goes to the GPU it fills most (least usable memory left that still fits),
# keeping large holes for large tasks; tasks are still taken in table order.
makespan "table order, --order 'free_memory asc' (best fit)" t --order "free_memory asc, index asc"
# --pack: the task needing the most memory first (same priority), table order breaking ties.
makespan "--pack (largest memory demand first)" t --pack
# The same order asked for through the table: priority = min_mem.
awk -F, -v OFS=, 'NR == 1 { print $0, "priority"; next } { print $0, $4 }' "$d/t.csv" >"$d/big-first.csv"
makespan "priority = min_mem (largest first, by hand)" big-first

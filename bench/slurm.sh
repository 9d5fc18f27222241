#!/usr/bin/env bash
# The Slurm executor (issue 15), on the local single-node Slurm (scripts/slurm-local.sh):
#   a. what FlowLine adds per job on top of Slurm's own submit-to-start. One job at a time,
#      N jobs each way: plain `sbatch` (before sbatch -> the job's first instruction), and
#      `flowline run --executor slurm --max 1`, where an sbatch shim stamps each call: Slurm's
#      own part is that call -> the job's first instruction, FlowLine's the previous run's end
#      (its supervisor's exit record) -> the next sbatch call (noticing the end, recording it,
#      deciding, writing the batch script; the shim's own start is counted against FlowLine).
#      Target: FlowLine adds <= 20 ms to Slurm's ~0.7-1 s.
#   b. the Slurm commands FlowLine issues per minute with 500 jobs in flight (sbatch, squeue,
#      scancel, sinfo counted by shims on PATH that log each call), over a minute after the
#      last submission.
# Root only (the local Slurm is system daemons). usage: bench/slurm.sh [BUILD_DIR] (default
# build-rel, configured and built when missing). N=20 changes part a's count; MINUTE=60 the
# window of part b, in seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$root" && mkdir -p "${1:-build-rel}" && cd "${1:-build-rel}" && pwd)
n=${N:-20}
window=${MINUTE:-60}
[ "$(id -u)" = 0 ] || { echo "bench/slurm.sh: needs root (the local Slurm)"; exit 2; }
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWLINE_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j2 --target flowline flowline-supervise >/dev/null
fl=$build/src/flowline
"$root/scripts/slurm-local.sh" start
tmp=$(mktemp -d)
trap 'scancel -u "$(id -un)" 2>/dev/null || true; rm -rf "$tmp"' EXIT
now_ms() { date +%s%3N; }
pctl() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { i = int((NR - 1) * p / 100) + 1; print v[i] }'; }
wait_gone() { while squeue -h -j "$1" 2>/dev/null | grep -q .; do sleep 0.05; done; }

echo "a. submit -> start, one job at a time, $n jobs each (load $(cut -d' ' -f1 /proc/loadavg))"
mkdir -p "$tmp/a" && cd "$tmp/a"
for i in $(seq "$n"); do
  before=$(now_ms)
  job=$(printf '#!/bin/sh\ndate +%%s%%3N > plain.%s\n' "$i" | sbatch --parsable -o /dev/null)
  wait_gone "$job"
  while [ ! -s "plain.$i" ]; do sleep 0.02; done
  echo $(( $(cat "plain.$i") - before ))
done >plain.ms
{ echo "name,gpus"; for i in $(seq "$n"); do echo "j$i,0"; done; } >t.csv
# A shim on PATH stamps each sbatch call with its run (the job's name is flowline-RUN-NAME).
mkdir -p shims
printf '#!/bin/sh\necho "$(date +%%s%%3N) $*" >> %s/calls\nexec /usr/bin/sbatch "$@"\n' "$tmp/a" \
  >shims/sbatch
chmod +x shims/sbatch
PATH="$tmp/a/shims:$PATH" "$fl" run t.csv --batch --executor slurm --max 1 \
  --cmd 'date +%s%3N > started.$FLOWLINE_RUN_ID' >flowline.out 2>&1
# Per run: Slurm's own submit -> start (the sbatch call -> the job's first instruction), and
# what FlowLine adds: the previous run's end (its supervisor's record) -> this sbatch call.
python3 - "$tmp/a" <<'PY'
import os, re, sqlite3, sys
d = sys.argv[1]
calls = {}
for line in open(os.path.join(d, "calls")):
    m = re.search(r"--job-name=flowline-(\d+)", line)
    if m: calls[int(m.group(1))] = int(line.split()[0])
db = sqlite3.connect(os.path.join(d, ".flowline/t.csv/flowline.db"))
ends = dict(db.execute("SELECT run_id, end_ms FROM runs WHERE state = 'succeeded'"))
own, added = [], []
for run, call in sorted(calls.items()):
    own.append(int(open(os.path.join(d, f"started.{run}")).read()) - call)
    if run - 1 in ends: added.append(call - ends[run - 1])
open(os.path.join(d, "flowline.ms"), "w").write("".join(f"{v}\n" for v in own))
open(os.path.join(d, "added.ms"), "w").write("".join(f"{v}\n" for v in added))
PY
for f in plain flowline; do
  printf '   %-9s sbatch -> start: p50 %s ms, p90 %s ms, min %s ms (%s jobs)\n' "$f" \
    "$(pctl 50 <$f.ms)" "$(pctl 90 <$f.ms)" "$(pctl 0 <$f.ms)" "$(wc -l <$f.ms)"
done
printf '   FlowLine adds (previous run ended -> next sbatch called): p50 %s ms, p90 %s ms, max %s ms\n' \
  "$(pctl 50 <added.ms)" "$(pctl 90 <added.ms)" "$(pctl 100 <added.ms)"

echo "b. Slurm commands per minute with 500 jobs in flight"
mkdir -p "$tmp/b/shims" && cd "$tmp/b"
for tool in sbatch squeue scancel sinfo; do
  printf '#!/bin/sh\necho "$(date +%%s.%%N) %s" >> %s/calls\nexec /usr/bin/%s "$@"\n' \
    "$tool" "$tmp/b" "$tool" >"shims/$tool"
  chmod +x "shims/$tool"
done
{ echo "name,gpus"; for i in $(seq 500); do echo "j$i,0"; done; } >t.csv
PATH="$tmp/b/shims:$PATH" "$fl" run t.csv --batch --executor slurm --max 500 --cmd 'sleep 600' \
  >flowline.out 2>&1 &
flpid=$!
start=$(now_ms)
until [ "$(grep -c sbatch calls 2>/dev/null || echo 0)" -ge 500 ]; do sleep 0.2; done
submitted=$(( $(now_ms) - start ))
# Stamps with nanoseconds: counted in whole seconds, the window took in the last second of
# submissions (up to 60 sbatch calls at these rates).
from=$(date +%s.%N)
sleep "$window"
to=$(date +%s.%N)
cpu=$(awk '{ print $14 + $15 }' /proc/$flpid/stat)
kill -9 "$flpid"; wait "$flpid" 2>/dev/null || true
echo "   FlowLine said: $(grep -c 'dispatch paused' flowline.out || true) dispatch pauses," \
     "$(grep -c 'cannot start' flowline.out || true) failed launches"
awk -v from="$from" -v to="$to" '$1 >= from && $1 < to { n[$2]++ }
  END { for (t in n) printf "   %s: %d\n", t, n[t] }' calls | sort
echo "   in $window s after the last of 500 submissions ($(squeue -h -t PENDING | wc -l) pending,"\
     "$(squeue -h -t RUNNING | wc -l) running); the 500 sbatch took $submitted ms"
echo "   FlowLine's CPU from its start: $(awk -v t="$cpu" 'BEGIN { printf "%.2f", t / 100 }') s"

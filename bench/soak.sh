#!/usr/bin/env bash
# Load held over time (issue 14 item 4): `flowline serve` with 10,000 tasks of `sleep 0.5`
# (--max 4, CPU only, so runs start and end all the time), four API clients polling (status,
# a page of tasks, GPUs, runs: each twice a second) and one following the event stream, for
# DURATION seconds (default 600). Every 30 s it prints FlowLine's RSS, the CPU it used in the
# last 30 s, and runs done so far: both must stay flat.
# usage: bench/soak.sh [BUILD_DIR] — a Release build (default build-rel). TASKS, DURATION.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build-rel}" && pwd)
tasks=${TASKS:-10000}
duration=${DURATION:-600}
fl=$build/src/flowline
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
awk -v n="$tasks" 'BEGIN { print "name,seed,gpus"; for (i = 0; i < n; i++) printf "t%d,%d,0\n", i, i }' >t.csv
"$fl" serve t.csv --web 127.0.0.1:0 --state-dir st --log-dir log --cmd 'sleep 0.5' --max 4 \
  >serve.out 2>&1 &
fl_pid=$!
pids+=("$fl_pid")
url=""
for _ in $(seq 1 200); do
  url=$(grep -ho 'http://127.0.0.1:[0-9]*/?token=[0-9a-f]*' st/flowline.log serve.out 2>/dev/null | head -n 1 || true)
  [ -n "$url" ] && break
  sleep 0.05
done
[ -n "$url" ] || { echo "soak: no URL in the serve log" >&2; cat serve.out >&2; exit 1; }
base=${url%%/?token=*}
token=${url##*token=}
auth=(-H "Authorization: Bearer $token")
poll() {  # PATH: twice a second until killed
  while :; do curl -s "${auth[@]}" "$base$1" >/dev/null || true; sleep 0.5; done
}
poll "/api/v1/status" & pids+=($!)
poll "/api/v1/tasks?offset=5000&limit=100" & pids+=($!)
poll "/api/v1/gpus" & pids+=($!)
poll "/api/v1/runs" & pids+=($!)
curl -sN "${auth[@]}" "$base/api/v1/events" >events.out & pids+=($!)

ticks_per_s=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$fl_pid/stat"; }
echo "$tasks tasks of sleep 0.5, --max 4, 4 polling clients + 1 event stream, $duration s"
echo "| t (s) | RSS (MiB) | CPU in the last 30 s | runs done | events received (KiB) |"
echo "|---|---|---|---|---|"
start=$SECONDS
last=$(cpu_ticks)
while [ $((SECONDS - start)) -lt "$duration" ]; do
  sleep 30
  now=$(cpu_ticks)
  rss=$(awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$fl_pid/status")
  done_runs=$(sqlite3 st/flowline.db "select count(*) from runs where state = 'succeeded'" 2>/dev/null || echo "?")
  printf '| %d | %s | %.1f %% of a core | %s | %d |\n' $((SECONDS - start)) "$rss" \
    "$(awk -v d=$((now - last)) -v hz="$ticks_per_s" 'BEGIN { print 100 * d / hz / 30 }')" \
    "$done_runs" $(( $(stat -c %s events.out) / 1024 ))
  last=$now
done

#!/usr/bin/env bash
# The HTTP API (issue 11), side by side in one run, on loopback:
#   a. GET /api/gpus with wrk: FlowLine against the original's kind of server (Flask's
#      threaded server, bench/flask_gpus.py), the same connections and duration, and the
#      server's CPU time per request
#   b. a page of 100 tasks out of 100,000 (GET /api/v1/tasks?offset=50000&limit=100) with wrk;
#      and FlowLine's RSS and idle CPU with those 100,000 tasks
#   c. exit -> next launch latency of runs one at a time, with no event-stream client and with
#      100 connected (bench/sse_clients.py), and FlowLine's CPU time and peak RSS in each
# usage: bench/http.sh [BUILD_DIR] — a Release build (default build-rel, configured and built
# when missing). DURATION (default 10s) per wrk round; CONNS (default 50) wrk connections;
# RUNS (default 500) runs per round of c. Needs wrk and python3-flask (scripts/install-deps.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$root" && mkdir -p "${1:-build-rel}" && cd "${1:-build-rel}" && pwd)
duration=${DURATION:-10s}
conns=${CONNS:-50}
runs=${RUNS:-500}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWLINE_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j2 --target flowline flowline-supervise >/dev/null
fl=$build/src/flowline
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

echo "HTTP benchmarks: $(date -u '+%F %T') UTC, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "flowline: $fl ($(grep -m1 CMAKE_BUILD_TYPE: "$build/CMakeCache.txt" | cut -d= -f2)); $(wrk --version 2>&1 | head -1 | cut -c1-40); Flask $(/usr/bin/python3 -c 'import flask; print(flask.__version__)')"

cpu_ns() { { cat /proc/"$1"/task/*/schedstat 2>/dev/null || true; } | awk '{ t += $1 } END { printf "%.0f", t }'; }
rss_kb() { awk '/^VmRSS/ { print $2 }' /proc/"$1"/status; }
hwm_kb() { awk '/^VmHWM/ { print $2 }' /proc/"$1"/status; }

# serve DIR TABLE [ARGS...]: starts `flowline serve` in DIR; sets port, token, spid.
serve() {
  local d=$1 t=$2; shift 2
  (cd "$d" && exec "$fl" serve "$t" --web 127.0.0.1:0 --state-dir st --log-dir log "$@" \
     </dev/null >"$d/out" 2>"$d/err") &
  spid=$!; pids+=("$spid")
  for _ in $(seq 600); do grep -q 'token=' "$d/err" 2>/dev/null && break; sleep 0.05; done
  port=$(grep -o '127\.0\.0\.1:[0-9]*' "$d/err" | head -1 | cut -d: -f2)
  token=$(grep -o 'token=[0-9a-f]*' "$d/err" | head -1 | cut -d= -f2)
}
stop() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }

# bench_wrk LABEL PID URL [HEADER]: wrk's requests/s and p99, and the server's CPU per request
# (C connections: $conns unless C is set).
bench_wrk() {
  local label=$1 pid=$2 url=$3 header=${4:-}
  local args=(-t2 -c"${C:-$conns}" -d"$duration" --latency)
  [ -n "$header" ] && args+=(-H "$header")
  wrk "${args[@]}" "$url" >/dev/null 2>&1 || true  # warm-up round, not counted
  local c0; c0=$(cpu_ns "$pid")
  wrk "${args[@]}" "$url" >"$tmp/wrk" 2>&1 || echo "wrk failed: $(tail -2 "$tmp/wrk")"
  local c1; c1=$(cpu_ns "$pid")
  local rps p50 p99 total errors
  rps=$(awk '/Requests\/sec/ { print $2 }' "$tmp/wrk")
  p50=$(awk '$1 == "50%" { print $2 }' "$tmp/wrk")
  p99=$(awk '$1 == "99%" { print $2 }' "$tmp/wrk")
  total=$(awk '/requests in/ { print $1 }' "$tmp/wrk")
  errors=$(grep -E 'Non-2xx|Socket errors' "$tmp/wrk" | tr -s ' ' | tr '\n' ';' || true)
  printf "  %-34s %9s req/s  p50 %8s  p99 %8s  server CPU %5.1f µs/request %s\n" "$label" "$rps" "$p50" "$p99" \
    "$(echo "$c0 $c1 $total" | awk '{ printf "%.1f", ($2 - $1) / 1000 / $3 }')" "${errors:+ ($errors)}"
}

echo "a. GET /api/gpus, wrk -t2 -c$conns -d$duration (after a warm-up round), 2 simulated GPUs"
mkdir -p "$tmp/a"; printf 'name,gpus\nx,0\n' >"$tmp/a/t.csv"
serve "$tmp/a" t.csv --sim-gpus 2x24000 --cmd true
bench_wrk "FlowLine" "$spid" "http://127.0.0.1:$port/api/gpus" "Authorization: Bearer $token"
stop "$spid"
fport=$(( 20000 + RANDOM % 20000 ))
/usr/bin/python3 "$root/bench/flask_gpus.py" "$fport" >"$tmp/flask.log" 2>&1 & fpid=$!; pids+=("$fpid")
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$fport/api/gpus" >/dev/null && break; sleep 0.05; done
bench_wrk "Flask (the original's server)" "$fpid" "http://127.0.0.1:$fport/api/gpus"
stop "$fpid"; [ -s "$tmp/flask.log" ] && tail -3 "$tmp/flask.log"

echo "b. 100,000 tasks: a page of 100 (offset 50000), and a search that scans all, with wrk; RSS and idle CPU"
mkdir -p "$tmp/b"
awk 'BEGIN { print "name,lr,seed,gpus,need_run_num"; for (i = 0; i < 100000; i++) printf "t%d,0.%d,%d,0,0\n", i, i % 10, i }' >"$tmp/b/t.csv"
serve "$tmp/b" t.csv --cmd true
for _ in $(seq 600); do curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/status" | grep -q '"done":100000' && break; sleep 0.1; done
sleep 2
i0=$(cpu_ns "$spid"); sleep 10; i1=$(cpu_ns "$spid")
echo "  idle, 100,000 tasks: RSS $(( $(rss_kb "$spid") / 1024 )) MiB, CPU $(echo "$i0 $i1" | awk '{ printf "%.3f", ($2 - $1) / 1e9 / 10 * 100 }') % of a core over 10 s"
page="http://127.0.0.1:$port/api/v1/tasks?offset=50000&limit=100"
C=4 bench_wrk "page of 100, 4 connections" "$spid" "$page" "Authorization: Bearer $token"
bench_wrk "page of 100, $conns connections" "$spid" "$page" "Authorization: Bearer $token"
C=4 bench_wrk "search (q=0.5), 4 connections" "$spid" "$page&q=0.5" "Authorization: Bearer $token"
t0=$(date +%s.%N); curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/task/list" -o "$tmp/all.json"; t1=$(date +%s.%N)
echo "  the whole list (GET /api/task/list, $(( $(stat -c %s "$tmp/all.json") / 1024 / 1024 )) MiB): $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }') s; RSS after $(( $(rss_kb "$spid") / 1024 )) MiB"
stop "$spid"

echo "c. exit -> next launch, $runs runs one at a time (--max 1), with 0 and 100 event-stream clients"
cat >"$tmp/stamp.sh" <<'STAMP'
s=$EPOCHREALTIME
e=$EPOCHREALTIME
echo "$s $e" >>"$1"
STAMP
latency() {
  sort -n "$1" | awk 'NR > 1 { printf "%.3f\n", ($1 - e) * 1000 } { e = $2 }' | sort -n |
    awk '{ g[NR] = $1 } END { printf "p50 %.2f ms  p99 %.2f ms  max %.2f ms", g[int(NR * 0.5 + 0.5)], g[int(NR * 0.99 + 0.5)], g[NR] }'
}
round() {  # LABEL CLIENTS
  local d=$tmp/c-$2; mkdir -p "$d"
  { echo "name,gpus,cmd"; for i in $(seq "$runs"); do echo "s$i,0,bash $tmp/stamp.sh $d/stamps"; done; } >"$d/t.csv"
  serve "$d" t.csv --cmd '{cmd}' --max 1 --sim-gpus 2x24000
  # hold dispatch until the clients are connected, so that every run is measured with them
  curl -sf -X POST -H "Authorization: Bearer $token" -d '{"dispatching": false}' "http://127.0.0.1:$port/api/v1/settings" >/dev/null
  local cpid=""
  if [ "$2" -gt 0 ]; then
    /usr/bin/python3 "$root/bench/sse_clients.py" "$port" "$token" "$2" >"$d/clients" 2>&1 & cpid=$!; pids+=("$cpid")
    for _ in $(seq 400); do grep -q connected "$d/clients" && break; sleep 0.05; done
  fi
  : >"$d/stamps"
  local c0; c0=$(cpu_ns "$spid")
  curl -sf -X POST -H "Authorization: Bearer $token" -d '{"dispatching": true}' "http://127.0.0.1:$port/api/v1/settings" >/dev/null
  for _ in $(seq 6000); do [ "$(wc -l <"$d/stamps")" -ge "$runs" ] && break; sleep 0.02; done
  local c1; c1=$(cpu_ns "$spid")
  printf "  %-28s %s; FlowLine CPU %4d µs per run, peak RSS %d MiB\n" "$1 ($2 clients)" "$(latency "$d/stamps")" \
    $(( (c1 - c0) / 1000 / runs )) $(( $(hwm_kb "$spid") / 1024 ))
  [ -n "$cpid" ] && kill "$cpid"
  stop "$spid"
}

round "no clients" 0
round "event streams" 100

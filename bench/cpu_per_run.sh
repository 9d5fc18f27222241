#!/usr/bin/env bash
# Wall time and CPU per run of 2000 `true`s, 2 at once: xargs, then each given flowline binary
# (e.g. a build of the code before a change, then the build after it), back to back in every
# round. CPU is user + system time with every child (GNU time): for FlowLine its supervisor
# server, supervisors and commands. The rounds' directories are deleted only at the end:
# on ext4 without a journal (this VM), a file created within minutes of many deletions costs
# more (see docs/benchmarks.md), and a round must not pay for the one before it.
# usage: bench/cpu_per_run.sh ROUNDS FLOWLINE [FLOWLINE...]   (N=2000 by default)
set -euo pipefail
rounds=${1:?usage: cpu_per_run.sh ROUNDS FLOWLINE [FLOWLINE...]}
shift
n=${N:-2000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{ echo "name,cmd,gpus"; for i in $(seq "$n"); do echo "t$i,true,0"; done; } >"$tmp/t.csv"
# measure LABEL CMD...: one line "LABEL wall s, CPU ms/run"; sets $wall and $cpu.
measure() {
  local label=$1; shift
  /usr/bin/time -o "$tmp/time" -f '%e %U %S' "$@"
  read -r wall user sys <"$tmp/time"
  cpu=$(awk -v u="$user" -v s="$sys" -v n="$n" 'BEGIN { printf "%.2f", (u + s) * 1000 / n }')
}
echo "cpu_per_run: $(date -u '+%F %T') UTC, $(nproc) cores, $n runs of true, 2 at once"
for r in $(seq "$rounds"); do
  echo "round $r (load $(cut -d' ' -f1-3 /proc/loadavg))"
  measure xargs sh -c "seq $n | xargs -P 2 -n 1 sh -c true"
  xargs_wall=$wall xargs_cpu=$cpu
  printf '  %-50s %6.2f s  %5.2f ms of CPU per run\n' "xargs -P 2" "$wall" "$cpu"
  i=0
  for fl in "$@"; do
    fl=$(realpath "$fl")
    d=$tmp/r$r-$((i += 1)); mkdir -p "$d"; cp "$tmp/t.csv" "$d/"
    (cd "$d" && measure flowline "$fl" run t.csv --batch --max 2 --cmd '{cmd}' --state-dir st \
       --log-dir log </dev/null 2>"$d/stderr"
     printf '  %-50s %6.2f s  %5.2f ms of CPU per run  (wall %.2fx, CPU %.2fx xargs)\n' "$fl" \
       "$wall" "$cpu" "$(awk -v a="$xargs_wall" -v b="$wall" 'BEGIN { print a / b }')" \
       "$(awk -v a="$cpu" -v b="$xargs_cpu" 'BEGIN { print a / b }')")
  done
done

#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (separate build dir) and runs them for a bounded time.
# Usage: scripts/fuzz.sh [NAME|all] [SECONDS] [BUILD_DIR]
#   NAME     csv, json, xlsx, ... (tests/fuzz/fuzz_NAME.cpp); default all
#   SECONDS  run time per target; default 20
# Seeds: tests/fuzz/seeds/NAME/, tests/fuzz/regressions/NAME/ and every tests/fixtures file
# ending in .NAME. A crash leaves its input in BUILD_DIR/artifacts/; copy it into
# tests/fuzz/regressions/NAME/ (the unit tests replay that folder) and fix the bug.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=${1:-all}
seconds=${2:-20}
build=${3:-$root/build-fuzz}

mkdir -p "$build"
# Parallel ctest runs share one build dir; build it one at a time.
exec 9>"$build/.lock"
flock 9
if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFLOWLINE_FUZZ=ON -DFLOWLINE_TESTS=OFF -DFLOWLINE_BENCH=OFF > "$build/configure.log"
fi
if [ "$name" = all ]; then
  names=$(cd "$root/tests/fuzz" && ls fuzz_*.cpp | sed 's/^fuzz_//; s/\.cpp$//')
else
  names=$name
fi
targets=$(for n in $names; do echo "fuzz_$n"; done)
# shellcheck disable=SC2086
if ! cmake --build "$build" -j2 --target $targets > "$build/build.log" 2>&1; then
  tail -n 40 "$build/build.log"
  echo "fuzz: building $targets failed (log: $build/build.log)" >&2
  exit 1
fi
flock -u 9

status=0
for n in $names; do
  work=$(mktemp -d)
  seeds=()
  for d in "$root/tests/fuzz/seeds/$n" "$root/tests/fuzz/regressions/$n"; do
    [ -d "$d" ] && seeds+=("$d")
  done
  mkdir -p "$work/fixtures"
  find "$root/tests/fixtures" -type f -name "*.$n" -exec cp {} "$work/fixtures/" \;
  seeds+=("$work/fixtures")
  mkdir -p "$build/artifacts" "$work/corpus"
  echo "fuzz_$n: ${seconds}s"
  if ! "$build/tests/fuzz/fuzz_$n" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -artifact_prefix="$build/artifacts/fuzz_$n-" -print_final_stats=1 \
      "$work/corpus" "${seeds[@]}" > "$work/log" 2>&1; then
    tail -n 60 "$work/log"
    echo "fuzz_$n FAILED; crash input in $build/artifacts/ (add it to tests/fuzz/regressions/$n/)"
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$work/log" || true
  fi
  rm -rf "$work"
done
exit $status

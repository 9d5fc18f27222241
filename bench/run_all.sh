#!/usr/bin/env bash
# Runs every benchmark script in bench/ (bench/*.sh except this one), each given the build
# directory; `make bench` calls `bench/run_all.sh build`. A failing script is reported and the
# others still run; the exit status is 1 if any failed.
# usage: bench/run_all.sh [BUILD_DIR]   (default build; a Release build is what to measure)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."  # the scripts take paths relative to the repository root
build=${1:-build}
failed=()
for script in "$here"/*.sh; do
  name=$(basename "$script")
  [ "$name" = run_all.sh ] && continue
  echo "=== $name $build"
  if ! bash "$script" "$build"; then
    echo "=== $name FAILED"
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi

#!/usr/bin/env bash
# Runs the `tsan`-labelled tests (tests/cmake/tsan.cmake) of a ThreadSanitizer build
# (`make tsan` configures and builds build-tsan, then calls this). Every instrumented process,
# the test binaries and each `flowline` an integration test starts alike, writes its reports
# to BUILD/tsan-reports/ rather than to a stderr that a test may swallow; any report there
# fails the run, even when every test passed. halt_on_error stops a process at its first
# report. tests/tsan.supp lists what is not ours (each entry says why).
# usage: scripts/tsan.sh [BUILD_DIR] [ctest args...]     (default build-tsan)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-tsan}
shift || true
reports=$(cd "$build" && pwd)/tsan-reports
rm -rf "$reports"
mkdir -p "$reports"
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 \
suppressions=$PWD/tests/tsan.supp log_path=$reports/tsan ${TSAN_OPTIONS:-}"

status=0
(cd "$build" && ctest -L tsan --output-on-failure -j "${JOBS:-$(nproc)}" --timeout 300 "$@") ||
  status=$?
found=$(find "$reports" -type f | sort)
if [ -n "$found" ]; then
  for f in $found; do
    echo "== $f"
    cat "$f"
  done
  echo "tsan: $(echo "$found" | wc -l) process(es) reported (above)" >&2
  status=1
fi
exit $status

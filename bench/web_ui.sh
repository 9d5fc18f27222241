#!/usr/bin/env bash
# The web UI with 100,000 tasks in chromium (bench/web_ui.mjs), for bench/run_all.sh.
# usage: bench/web_ui.sh [BUILD_DIR] [web_ui.mjs options]   (default build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
shift || true
exec node "$here/web_ui.mjs" "$build" "$@"

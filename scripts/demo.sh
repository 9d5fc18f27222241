#!/usr/bin/env bash
# The README's first command ends here: FlowLine's main job on the example table.
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
"$BUILD/src/flowline" check examples/todo.csv

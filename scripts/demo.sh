#!/usr/bin/env bash
# The README's first command ends here: FlowLine's main job on the example table.
# The table is copied to BUILD/demo/ so the demo never edits the example in the repository.
# Without an NVIDIA driver the GPUs are simulated (--sim-gpus) and each run is
# `flowline sim-job`, which holds the run's min_mem on its GPU for a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
FLOWLINE="$(pwd)/$BUILD/src/flowline"
DEMO="$BUILD/demo"
rm -rf "$DEMO" && mkdir -p "$DEMO"
cp examples/todo.csv "$DEMO/todo.csv"
cd "$DEMO"

echo "== flowline check: every task and the command it will run"
"$FLOWLINE" check todo.csv --cmd 'echo {cmd} {args}' | head -n 12
echo "   …"

GPU_OPTIONS=()
if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "== no NVIDIA driver here: 4 simulated GPUs of 24000 MiB (labelled SIMULATED)"
  GPU_OPTIONS=(--sim-gpus 4x24000)
fi
"$FLOWLINE" gpus "${GPU_OPTIONS[@]}" --state-dir .flowline

echo "== flowline run: 16 runs, at most 6 at once, placed by free memory"
"$FLOWLINE" run todo.csv --batch --max 6 "${GPU_OPTIONS[@]}" \
  --cmd "echo {cmd} {args} on GPU {gpus}; $FLOWLINE sim-job --mem {min_mem} --secs 2"
echo "== the table now records every run (run_num):"
cat todo.csv
echo "== each run kept its output in $DEMO/log/todo.csv/ (one log folder per table)"
ls log/todo.csv | head -n 4

#!/usr/bin/env bash
# Write-back during a run: `flowline run --batch --max 2` of N rows of `true` (default 20000),
# once as CSV and once as XLSX (written by openpyxl), side by side. The difference is the cost
# of mirroring run_num into the file (docs/benchmarks.md, "Write-back during a run").
# Usage: bench/writeback.sh [BUILD_DIR] [ROWS]     (Release build; default build/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
rows=${2:-20000}
fl=$build/src/flowline
[ -x "$fl" ] || { echo "writeback: no $fl (build it first: cmake --build $build)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 - "$tmp" "$rows" <<'PY'
import csv, sys, openpyxl
out, rows = sys.argv[1], int(sys.argv[2])
header = ['name', 'cmd', 'gpus', 'lr', 'model', 'dataset', 'seed', 'method', 'notes']
data = [[f't{i}', 'true', 0, 0.001 * (i % 7), 'resnet18', 'imagenet100', i % 5, 'baseline',
         'some text here'] for i in range(rows)]
wb = openpyxl.Workbook()
ws = wb.active
ws.append(header)
for row in data:
    ws.append(row)
wb.save(f'{out}/t.xlsx')
with open(f'{out}/t.csv', 'w', newline='') as f:
    csv.writer(f).writerows([header] + data)
PY
echo "write-back: $(date -u '+%F %T') UTC, $rows rows, load $(cut -d' ' -f1 /proc/loadavg)"
for ext in csv xlsx; do
  d=$tmp/$ext; mkdir -p "$d"; cp "$tmp/t.$ext" "$d/"
  t0=$(date +%s.%N)
  (cd "$d" && "$fl" run "t.$ext" --batch --max 2 --cmd '{cmd}' --state-dir st --log-dir log \
     </dev/null 2>stderr) || { echo "  !! $ext run failed: $(tail -n 1 "$d/stderr")"; continue; }
  t1=$(date +%s.%N)
  echo "  $ext: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s", b - a }')  ($(tail -n 1 "$d/stderr"))"
done
/usr/bin/python3 - "$tmp/xlsx/t.xlsx" "$rows" <<'PY'
import sys, openpyxl
rows = list(openpyxl.load_workbook(sys.argv[1]).active.iter_rows(values_only=True))
col = rows[0].index('run_num')
done = sum(1 for r in rows[1:] if r[col] == 1)
print(f"  xlsx after the run: run_num = 1 in {done} of {int(sys.argv[2])} rows")
PY

#!/usr/bin/env bash
# Regenerates tests/fixtures/tables/ with the real tools whose files FlowLine must read:
#   source.csv        hand-written input (quotes, embedded commas/newlines, UTF-8, 0.001, 1e-05,
#                     booleans, formulas, blanks)
#   libreoffice.xlsx  LibreOffice Calc's import of source.csv (shared strings, formulas with
#                     cached values, t="str", t="b", numbers like 1E-005)
#   libreoffice.csv   LibreOffice Calc's CSV export of libreoffice.xlsx
#   openpyxl.xlsx     written by Debian's python3-openpyxl, which stores text as inline
#                     strings (t="inlineStr"); a second sheet checks workbook order
# Usage: scripts/make-table-fixtures.sh  (needs libreoffice-calc-nogui and python3-openpyxl)
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/fixtures/tables
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
soffice_run() {
  soffice -env:UserInstallation=file://"$work"/profile --headless "$@" >/dev/null 2>&1
}

printf '%s\r\n' 'name,lr,seed,note,flag,calc' \
  '"a, b",0.001,1,"say ""hi""",TRUE,=2*3' \
  'c,1e-05,2,"two' 'lines",FALSE,=A2' \
  'αβ,2.0,,x,,' > "$out/source.csv"

cp "$out/source.csv" "$work/libreoffice.csv"
soffice_run --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir "$work/x" "$work/libreoffice.csv"
cp "$work/x/libreoffice.xlsx" "$out/libreoffice.xlsx"
soffice_run --convert-to "csv:Text - txt - csv (StarCalc):44,34,76,1" --outdir "$work/c" \
  "$out/libreoffice.xlsx"
cp "$work/c/libreoffice.csv" "$out/libreoffice.csv"

/usr/bin/python3 - "$out/openpyxl.xlsx" <<'PY'
import sys
from openpyxl import Workbook
wb = Workbook()
ws = wb.active
ws.title = "Tasks"
ws.append(["name", "lr", "seed", "note", "flag"])
ws.append(["a, b", 0.001, 1, 'say "hi"', True])
ws.append(["c", 1e-05, 2, "two\nlines", False])
ws.append(["αβ", 2.0, None, " x ", None])
wb.create_sheet("Other").append(["not", "this", "sheet"])
wb.save(sys.argv[1])
PY
/usr/bin/python3 - "$out/openpyxl.xlsx" <<'PY'
import sys, zipfile
sheet = zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode()
assert 't="inlineStr"' in sheet, "openpyxl no longer writes inline strings; adapt this script"
PY
echo "fixtures written to $out"

#!/bin/sh
# The C++ API as a user gets it: install FlowLine into a fresh prefix, compile
# examples/main_cli.cpp against the installed <flowline/flowline.hpp> and -lflowline only, and
# run it on a small table with simulated GPUs, checking that the runs were the example's
# builder's commands on the GPU its comparator prefers.
# usage: installed_example_test.sh BUILD_DIR SOURCE_DIR CXX [COMPILER FLAGS...]
set -eu
build=$1 source=$2 cxx=$3
shift 3
work=$(mktemp -d "${TMPDIR:-/tmp}/flowline-api-XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "cmake --install"; }
[ -f "$prefix/include/flowline/flowline.hpp" ] || fail "header not installed"
[ -e "$prefix/lib/libflowline.so" ] || fail "libflowline.so not installed"

"$cxx" -std=c++20 -Wall -Wextra -Werror "$@" -I"$prefix/include" \
  "$source/examples/main_cli.cpp" -L"$prefix/lib" -lflowline -Wl,-rpath,"$prefix/lib" \
  -o "$work/main_cli" || fail "examples/main_cli.cpp does not compile against the install"

mkdir "$work/run"
cd "$work/run"
cat > todo.csv <<'CSV'
name,lr,seed,min_mem,cmd
a,0.1,0,1000,sh record.sh
b,0.01,1,1000,sh record.sh
c,0.001,2,1000,
CSV
echo 'echo "$CUDA_VISIBLE_DEVICES $*" >> ran.txt' > record.sh
# Task c has no cmd: the example builds `python -u train.py ...`; a stub stands in for python.
mkdir bin
printf '#!/bin/sh\necho "python $CUDA_VISIBLE_DEVICES $*" >> ran.txt\n' > bin/python
chmod +x bin/python

# GPU 1 has the least free memory that fits: the example's best-fit comparator picks it,
# where FlowLine's default order would pick GPU 0. --max 1 keeps the runs one after another.
PATH="$work/run/bin:$PATH" "$work/main_cli" todo.csv --sim-gpus 1x24000,1x8000,1x16000 \
  --max 1 </dev/null >out.txt 2>err.txt || { cat err.txt >&2; fail "main_cli exited with $?"; }

expected='1 --lr 0.1 --seed 0
1 --lr 0.01 --seed 1
python 1 -u train.py --lr 0.001 --seed 2'
[ "$(cat ran.txt)" = "$expected" ] ||
  { printf 'ran.txt:\n%s\nexpected:\n%s\n' "$(cat ran.txt)" "$expected" >&2; cat err.txt >&2;
    fail "the runs were not the builder's commands on the comparator's GPU"; }
grep -q '^name,lr,seed,min_mem,cmd,run_num$' todo.csv || fail "run_num column not written back"
[ "$(grep -c ',1$' todo.csv)" = 3 ] || { cat todo.csv >&2; fail "run_num not 1 for every row"; }
grep -q '3 tasks: 3 done' err.txt || { cat err.txt >&2; fail "summary missing"; }

# A bad option is refused with the option named, exit status 2, nothing run.
rm -f ran.txt
if "$work/main_cli" todo.csv --max zero </dev/null 2>err.txt; then fail "bad option accepted"; fi
grep -q -- "--max: expected a whole number" err.txt || { cat err.txt >&2; fail "bad option message"; }
[ ! -e ran.txt ] || fail "ran despite a bad option"
echo "ok: installed API example built and ran"

#!/bin/sh
# The C++ API as a user gets it: install FlowLine into a fresh prefix, compile
# examples/main_cli.cpp against the installed <flowline/flowline.hpp> and -lflowline only, and
# run it on a small table with simulated GPUs, checking that the runs were the example's
# builder's commands on the GPU its comparator prefers. The same example also builds with
# find_package(FlowLine) (FlowLine::flowline) and with `pkg-config flowline`, and runs.
# usage: installed_example_test.sh BUILD_DIR SOURCE_DIR CXX [COMPILER FLAGS...]
set -eu
build=$1 source=$(cd "$2" && pwd) cxx=$3
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

# The same, as a CMake project or a Makefile would build it: find_package and pkg-config.
mkdir "$work/cmake-user"
cat > "$work/cmake-user/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(user LANGUAGES CXX)
find_package(FlowLine 0.1 REQUIRED)
add_executable(main_cli $source/examples/main_cli.cpp)
target_link_libraries(main_cli PRIVATE FlowLine::flowline)
CMAKE
(cmake -S "$work/cmake-user" -B "$work/cmake-user/build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
   -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="$*" &&
 cmake --build "$work/cmake-user/build") >"$work/cmake-user.log" 2>&1 ||
  { cat "$work/cmake-user.log" >&2; fail "find_package(FlowLine) build"; }
pc_flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs flowline) ||
  fail "pkg-config flowline"
# shellcheck disable=SC2086 # pkg-config's flags are words
"$cxx" -std=c++20 "$@" "$source/examples/main_cli.cpp" $pc_flags \
  -Wl,-rpath,"$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --variable=libdir flowline)" \
  -o "$work/main_cli_pc" || fail "pkg-config build"
for exe in "$work/cmake-user/build/main_cli" "$work/main_cli_pc"; do
  ! "$exe" todo.csv --max zero </dev/null 2>"$work/err.txt" &&
    grep -q -- "--max: expected a whole number" "$work/err.txt" ||
    { cat "$work/err.txt" >&2; fail "$exe does not run"; }
done

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

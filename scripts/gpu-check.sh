#!/usr/bin/env bash
# Builds FlowLine (Release) and runs the `gpu`-labelled tests against the real NVIDIA driver of
# this machine, then prints `flowline gpus` next to nvidia-smi. Self-contained: installs the
# build dependencies (Debian/Ubuntu) when missing and possible; on a machine without a
# toolchain it runs an already built BUILD_DIR (e.g. copied from a build machine).
# Usage: scripts/gpu-check.sh [BUILD_DIR]     (default build-gpu)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build-gpu}"

if command -v apt-get >/dev/null; then
  scripts/install-deps.sh || echo "gpu-check: could not install every dependency; trying anyway" >&2
fi
command -v nvidia-smi >/dev/null || echo "gpu-check: nvidia-smi not found: the tests will skip" >&2

if command -v cmake >/dev/null && command -v ninja >/dev/null; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWLINE_BENCH=OFF >/dev/null
  cmake --build "$BUILD" -j"$(nproc)" --target flowline gpu_real_tests
elif [ ! -x "$BUILD/tests/gpu_real_tests" ]; then
  echo "gpu-check: no cmake/ninja here and no prebuilt $BUILD/tests/gpu_real_tests" >&2
  exit 1
fi

echo "== nvidia-smi"
nvidia-smi --query-gpu=index,uuid,name,memory.total,memory.used,memory.free \
  --format=csv,noheader,nounits || true
echo "== flowline gpus"
"$BUILD/src/flowline" gpus || true
echo "== gpu-labelled tests"
if command -v ctest >/dev/null; then
  # -V shows the per-GPU comparison each test prints; skipped tests are reported as skipped.
  (cd "$BUILD" && ctest -L gpu -V --output-on-failure)
else
  "$BUILD/tests/gpu_real_tests"
fi

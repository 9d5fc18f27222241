#!/bin/sh
# Builds the Debian package of BUILD_DIR's FlowLine (built already) with CPack (cmake/install.cmake sets it
# up: everything `cmake --install` puts, under /usr) and prints the .deb's path.
# `make deb` runs it on the Release build; tests/install/deb_test.sh on the test build.
# usage: make-deb.sh BUILD_DIR [OUT_DIR]   (default: BUILD_DIR)
set -eu
build=$(cd "$1" && pwd)
out=${2:-$build}
mkdir -p "$out"
out=$(cd "$out" && pwd)
log=$out/cpack.log
(cd "$build" && cpack -G DEB -B "$out/_cpack" >"$log" 2>&1) || { cat "$log" >&2; exit 1; }
deb=$(ls "$out"/_cpack/*.deb)
mv "$deb" "$out/"
rm -rf "$out/_cpack"
echo "$out/$(basename "$deb")"

#!/bin/bash
# `make deb`'s package (scripts/make-deb.sh, on this build) installed with dpkg -i, used, and
# removed with dpkg -r leaving none of its files. It installs into /usr of this machine, so it
# runs only as root (CI's throwaway container), and it skips (77) rather than replace a
# flowline package or any file already there; the package is removed even when a check fails.
# usage: deb_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || skip "dpkg -i needs root (this test installs into /usr, then removes it)"
command -v dpkg >/dev/null || skip "no dpkg here"
if dpkg-query -W -f='${Status}' flowline 2>/dev/null | grep -q installed; then
  skip "a flowline package is installed already; not replacing it"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/flowline-deb-XXXXXX")
installed=
cleanup() {
  if [ -n "$installed" ]; then
    dpkg --purge flowline >"$work/remove.log" 2>&1 || cat "$work/remove.log" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

deb=$("$source/scripts/make-deb.sh" "$build" "$work") || fail "make-deb.sh"
[ -f "$deb" ] || fail "no package: $deb"
dpkg-deb -f "$deb" Package Version Depends >"$work/fields" || fail "dpkg-deb -f"
grep -q '^Package: flowline$' "$work/fields" || { cat "$work/fields" >&2; fail "package name"; }
# Never overwrite what is there.
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|; /\/$/d' > "$work/files"
while read -r f; do
  [ ! -e "$f" ] && [ ! -L "$f" ] || skip "$f exists already; not overwriting it"
done < "$work/files"

installed=1
dpkg -i "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "dpkg -i"; }
dpkg -L flowline > "$work/listed"
for f in /usr/bin/flowline /usr/bin/flowline-supervise /usr/lib/libflowline.so \
  /usr/include/flowline/flowline.hpp /usr/lib/pkgconfig/flowline.pc \
  /usr/lib/cmake/FlowLine/FlowLineConfig.cmake /usr/share/man/man1/flowline-run.1 \
  /usr/share/bash-completion/completions/flowline /usr/share/zsh/vendor-completions/_flowline \
  /usr/lib/systemd/user/flowline@.service; do
  grep -qxF "$f" "$work/listed" || fail "$f not in the package"
  [ -e "$f" ] || fail "$f not installed"
done
grep -qF "' /usr/bin/flowline %f" /usr/lib/systemd/user/flowline@.service ||
  fail "the unit does not start /usr/bin/flowline"
grep -q '^prefix=/usr$' /usr/lib/pkgconfig/flowline.pc || fail "flowline.pc's prefix is not /usr"

# Use it: from PATH, as a user would.
version=$(cd / && flowline --version) || fail "flowline --version"
[[ $version == "flowline "*" (commit "* ]] || fail "--version says '$version'"
cp "$source/examples/todo.csv" "$work/todo.csv"
(cd "$work" && flowline check todo.csv >"$work/check.out" 2>&1) ||
  { cat "$work/check.out" >&2; fail "flowline check examples/todo.csv"; }
[ "$(man -w flowline-serve)" = /usr/share/man/man1/flowline-serve.1 ] || fail "man -w flowline-serve"
ldconfig -p | grep -q 'libflowline\.so\.0 ' || fail "libflowline.so.0 not in ld.so's cache"

dpkg -r flowline >"$work/remove.log" 2>&1 || { cat "$work/remove.log" >&2; fail "dpkg -r"; }
if dpkg-query -W -f='${Status}' flowline 2>/dev/null | grep -q ' installed'; then
  fail "still installed after dpkg -r"
fi
left=
while read -r f; do
  [ -d "$f" ] && [ ! -L "$f" ] && continue  # directories are shared (/usr/bin), or checked below
  [ ! -e "$f" ] && [ ! -L "$f" ] || left="$left $f"
done < "$work/listed"
for d in /usr/include/flowline /usr/lib/cmake/FlowLine; do [ ! -e "$d" ] || left="$left $d"; done
[ -z "$left" ] || fail "dpkg -r left:$left"
ldconfig -p | grep -q 'libflowline\.so' && fail "libflowline still in ld.so's cache"
# dpkg -r keeps the package's record (state rc); --purge forgets it.
dpkg --purge flowline >"$work/remove.log" 2>&1 || { cat "$work/remove.log" >&2; fail "dpkg --purge"; }
installed=
dpkg-query -W flowline >/dev/null 2>&1 && fail "dpkg still knows flowline after --purge"
echo "ok: $(basename "$deb") installs, runs (--version, check) and removes cleanly"

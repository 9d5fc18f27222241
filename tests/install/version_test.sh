#!/bin/bash
# Where `flowline --version` finds its commit when the source is not a git checkout:
# cmake/write_version.cmake on copies of the source: a tarball from `git archive` (its
# cmake/git_commit.txt filled in), any other tarball ("unknown"), one unpacked inside some
# other git repository (not that repository's commit), and a packager's -DFLOWLINE_GIT_COMMIT.
# usage: version_test.sh SOURCE_DIR
set -euo pipefail
source=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/flowline-version-XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

commit_of() {  # commit_of SOURCE_COPY [OVERRIDE]: the kGitCommit it would be built with
  cmake -DSOURCE_DIR="$1" -DOUT="$work/out.cpp" -DVERSION=1.2.3 -DCOMMIT_OVERRIDE="${2:-}" \
    -P "$source/cmake/write_version.cmake" || fail "write_version.cmake"
  grep -q 'kVersion = "1.2.3"' "$work/out.cpp" || fail "no version in $(cat "$work/out.cpp")"
  sed -n 's/.*kGitCommit = "\(.*\)";/\1/p' "$work/out.cpp"
}
tarball() {  # tarball DIR GIT_COMMIT_TXT
  mkdir -p "$1/cmake"
  printf '%s\n' "$2" > "$1/cmake/git_commit.txt"
}

tarball "$work/plain" "$(cat "$source/cmake/git_commit.txt")"
[ "$(commit_of "$work/plain")" = unknown ] || fail "plain tarball: $(commit_of "$work/plain")"
tarball "$work/archive" 0123456789abcdef0123456789abcdef01234567
[ "$(commit_of "$work/archive")" = 0123456789ab ] || fail "git archive: $(commit_of "$work/archive")"
[ "$(commit_of "$work/plain" feedface)" = feedface ] || fail "override ignored"

git init -q "$work/outer"
git -C "$work/outer" -c user.name=t -c user.email=t@t commit -q --allow-empty -m outer
tarball "$work/outer/vendor/flowline" "$(cat "$source/cmake/git_commit.txt")"
[ "$(commit_of "$work/outer/vendor/flowline")" = unknown ] ||
  fail "took the commit of the repository around it: $(commit_of "$work/outer/vendor/flowline")"

# A checkout of its own: its commit, then "-modified" once a tracked file changes.
git init -q "$work/own"
tarball "$work/own" "$(cat "$source/cmake/git_commit.txt")"
git -C "$work/own" add -A
git -C "$work/own" -c user.name=t -c user.email=t@t commit -q -m own
head=$(git -C "$work/own" rev-parse --short=12 HEAD)
[ "$(commit_of "$work/own")" = "$head" ] || fail "checkout: $(commit_of "$work/own") not $head"
echo changed >> "$work/own/cmake/git_commit.txt"
[ "$(commit_of "$work/own")" = "$head-modified" ] || fail "modified: $(commit_of "$work/own")"
echo "ok: the commit comes from git, git archive, the packager, else 'unknown'"

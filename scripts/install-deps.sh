#!/usr/bin/env bash
# Installs what FlowLine needs, from Debian's packages, and the web UI's npm packages
# (web/package-lock.json) into web/node_modules. Idempotent and quiet when everything is
# present; works as root or through sudo; never asks questions.
# usage: install-deps.sh [demo|deb|test]   (default test: everything)
#   demo  what building and running FlowLine need (`make demo`, `make install`)
#   deb   that, and what `make deb` needs to build the Debian package
#   test  that, and what the test suite and the benchmarks use (`make test`)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-test}
case $profile in demo | deb | test) ;; *) echo "usage: $0 [demo|deb|test]" >&2; exit 2 ;; esac

# Building and running; help2man writes the man pages from `flowline --help`.
PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache
  nlohmann-json3-dev libsqlite3-dev libzip-dev libpugixml-dev libcpp-httplib-dev libreadline-dev
  help2man
)
# `make deb`: CPack's Debian generator finds the package's dependencies with dpkg-shlibdeps
# (dpkg-dev) and `file`.
if [ "$profile" != demo ]; then
  PACKAGES+=(dpkg-dev file)
fi
# The tests (fuzzing with clang, xlsx fixtures written by openpyxl and LibreOffice, the shell
# in tmux, the browser tests in Chromium, man pages rendered by man, the systemd unit checked by
# systemd-analyze, the zsh and fish completions), and the benchmarks.
if [ "$profile" = test ]; then
  PACKAGES+=(
    clang libclang-rt-14-dev libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev
    python3 python3-openpyxl libreoffice-calc-nogui
    tmux procps zip unzip sqlite3 hyperfine task-spooler parallel curl wrk python3-flask
    chromium fonts-wqy-microhei
    man-db groff-base systemd zsh fish
  )
fi
# The web UI is bundled with Node.js and npm: Debian's, unless a node with npm is here already
# (NodeSource's nodejs includes npm, and conflicts with Debian's npm package).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    SUDO="sudo -n"
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The web UI's packages, exactly as locked, whenever the lockfile is newer than what is
# installed (npm ci writes node_modules/.package-lock.json last).
if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  echo "install-deps: npm ci in web/ (the web UI's packages)" >&2
  (cd web && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
    { echo "install-deps: npm ci failed in web/ (is the npm registry reachable?)" >&2; exit 1; }
fi

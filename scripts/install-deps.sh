#!/usr/bin/env bash
# Installs what FlowLine needs to build and test, from Debian's packages. Idempotent and
# quiet when everything is present; works as root or through sudo; never asks questions.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache clang libclang-rt-14-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libsqlite3-dev libzip-dev libpugixml-dev libcli11-dev
  libcpp-httplib-dev libreadline-dev
  python3 python3-openpyxl libreoffice-calc-nogui
  tmux procps zip unzip sqlite3 hyperfine task-spooler parallel curl wrk python3-flask
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo -n"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/bin/bash
# `cmake --install` into a fresh prefix, then what a user of that prefix gets: flowline
# --version with the commit, a man page per command that renders without warnings, the bash
# completion giving commands, options, --order fields and GPU ids (zsh's and fish's parse, and
# fish's completes too), and the systemd user unit passing systemd-analyze verify and starting
# `flowline serve` in the table's directory. (The library, find_package and pkg-config:
# tests/api/installed_example_test.sh.)
# usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/flowline-install-XXXXXX")
serve_pid=
cleanup() {
  [ -z "$serve_pid" ] || kill "$serve_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "cmake --install"; }
for f in bin/flowline bin/flowline-supervise lib/libflowline-sim-nvml.so lib/libflowline.so \
  include/flowline/flowline.hpp lib/cmake/FlowLine/FlowLineConfig.cmake lib/pkgconfig/flowline.pc \
  share/bash-completion/completions/flowline share/zsh/site-functions/_flowline \
  share/fish/vendor_completions.d/flowline.fish lib/systemd/user/flowline@.service \
  share/man/man1/flowline.1; do
  [ -e "$prefix/$f" ] || fail "$f not installed"
done
flowline=$prefix/bin/flowline

# --version: the version and the commit of the source, when it is a git checkout.
version=$("$flowline" --version)
[[ $version =~ ^flowline\ [0-9]+\.[0-9]+\.[0-9]+\ \(commit\ ([0-9a-f]{12}(-modified)?|unknown)\)$ ]] ||
  fail "--version says '$version'"
if head=$(git -C "$source" rev-parse --short=12 HEAD 2>/dev/null); then
  # A build older than the last commit names the commit it was built from: an ancestor.
  built=$(sed -n 's/.*(commit \([0-9a-f]\{12\}\).*/\1/p' <<<"$version")
  [[ $version == *"commit $head"* ]] ||
    { [ -n "$built" ] && git -C "$source" merge-base --is-ancestor "$built" HEAD; } ||
    fail "--version says '$version', HEAD is $head"
fi

# A man page per command `flowline --help` lists, each rendering without a warning.
commands=$("$flowline" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
[ -n "$commands" ] || fail "no commands in flowline --help"
for page in flowline $(printf 'flowline-%s\n' $commands); do
  file=$prefix/share/man/man1/$page.1
  [ -f "$file" ] || fail "no man page $page.1"
  warnings=$(MANWIDTH=80 man -l "$file" 2>&1 >/dev/null; groff -ww -z -man "$file" 2>&1)
  [ -z "$warnings" ] || fail "$page.1 renders with warnings: $warnings"
  MANWIDTH=80 man -l "$file" 2>/dev/null | grep -q "^NAME" || fail "$page.1 has no NAME"
done
text=$(MANWIDTH=200 man -l "$prefix/share/man/man1/flowline-run.1" 2>/dev/null)
for want in SYNOPSIS 'flowline run TABLE' OPTIONS --order --retries 'EXIT STATUS' 'SEE ALSO'; do
  [[ $text == *"$want"* ]] || fail "flowline-run.1 lacks '$want'"
done

# bash: the completion function, called as bash would, with COMP_WORDS set.
complete_bash() {  # complete_bash WORD... (the last one is being completed)
  PATH="$prefix/bin:$PATH" bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    _flowline
    printf "%s\n" "${COMPREPLY[@]}"' complete "$prefix/share/bash-completion/completions/flowline" "$@"
}
expect() {  # expect WHAT OUTPUT WORD...: every WORD is a line of OUTPUT
  local what=$1 out=$2 word
  shift 2
  for word in "$@"; do
    grep -qxF -- "$word" <<<"$out" || fail "$what: no '$word' among: $(echo $out)"
  done
}
expect "flowline <TAB>" "$(complete_bash flowline '')" run serve check ctl gpus token --version
expect "flowline r<TAB>" "$(complete_bash flowline r)" run
expect "flowline run t.csv --<TAB>" "$(complete_bash flowline run t.csv --)" \
  --order --max --gpus --sim-gpus --batch --help
[ -z "$(complete_bash flowline run t.csv --or | grep -vx -- --order)" ] ||
  fail "flowline run t.csv --or<TAB> gives more than --order"
expect "--order <TAB>" "$(complete_bash flowline run t.csv --order '')" \
  index free_memory total_memory utilization user_process_num all_process_num temperature \
  power max_power
expect "--order 'index desc,u<TAB>" "$(complete_bash flowline run t.csv --order 'index desc,u')" \
  'index desc,utilization' 'index desc,user_process_num'
expect "--gpus <TAB> with --sim-gpus" \
  "$(complete_bash flowline run t.csv --sim-gpus 2x24000,1x80000 --gpus '')" 0 1 2
expect "--gpus 0,<TAB>" "$(complete_bash flowline serve t.csv --sim-gpus 3x1000 --gpus 0,)" 0,1 0,2
expect "gpus --<TAB>" "$(complete_bash flowline gpus --)" --json --sim-gpus --state-dir

# fish completes the same way (complete -C); zsh's must at least parse.
fish_out=$(PATH="$prefix/bin:$PATH" fish --no-config -c "
  source $prefix/share/fish/vendor_completions.d/flowline.fish
  complete -C 'flowline '; complete -C 'flowline run t.csv --order '
  complete -C 'flowline run t.csv --'" | cut -f1)
expect "fish" "$fish_out" run serve free_memory max_power --order --max
zsh -n "$prefix/share/zsh/site-functions/_flowline" || fail "_flowline: zsh syntax"

# The systemd user unit: systemd-analyze verify, which here (a container without a user
# manager) needs a runtime directory of its own; MANPATH lets it find Documentation=.
unit_dir=$prefix/lib/systemd/user
grep -qF "' $flowline %f" "$unit_dir/flowline@.service" || fail "the unit does not start $flowline"
mkdir -p "$work/project" "$work/xdg" && chmod 700 "$work/xdg"
printf 'name,min_mem,cmd\na,100,sleep 30\n' > "$work/project/todo.csv"
instance=flowline@$(systemd-escape --path "$work/project/todo.csv").service
verify=$(XDG_RUNTIME_DIR=$work/xdg MANPATH=$prefix/share/man: \
  systemd-analyze verify --user "$unit_dir/$instance" 2>&1) || fail "systemd-analyze: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify warns: $verify"

# Its ExecStart, run as systemd would ($$ is $, %f the table): `flowline serve` in the table's
# directory, FLOWLINE_OPTIONS read as shell words (a quoted --cmd).
exec_start=$(sed -n 's/^ExecStart=//p' "$unit_dir/flowline@.service")
exec_start=${exec_start//\$\$/\$}
exec_start=${exec_start//%f/\"$work/project/todo.csv\"}
cd "$work"
(export FLOWLINE_OPTIONS="--sim-gpus 1x1000 --web 0 --cmd 'echo hello {name} > ran.txt'"
 eval "exec $exec_start") >"$work/serve.out" 2>&1 &
serve_pid=$!
for _ in $(seq 200); do [ -s "$work/project/ran.txt" ] && break; sleep 0.1; done
[ "$(cat "$work/project/ran.txt" 2>/dev/null)" = "hello a" ] ||
  { cat "$work/serve.out" >&2; fail "the unit's command did not run the table in its directory"; }
[ -d "$work/project/.flowline/todo.csv" ] || fail "state directory not beside the table"
kill "$serve_pid"; wait "$serve_pid" || fail "flowline serve exited with $? after SIGTERM"
serve_pid=
echo "ok: installed files, --version, man pages, completions and the systemd unit"

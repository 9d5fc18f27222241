#!/bin/sh
# Writes flowline.1 and one flowline-COMMAND.1 per command that `flowline --help` lists, with
# help2man, from the program's own --help: the pages change when an option does, and a new
# command gets its page without editing a list. docs/man/*.h2m add what --help does not say
# (environment, files, see also).
# usage: make-man-pages.sh FLOWLINE VERSION SOURCE_DIR OUT_DIR
set -eu
flowline=$1 version=$2 source=$3 out=$4
mkdir -p "$out"
rm -f "$out"/*.1
work=$(mktemp -d "${TMPDIR:-/tmp}/flowline-man-XXXXXX")
trap 'rm -rf "$work"' EXIT

# help2man finds SYNOPSIS and OPTIONS under "Usage:" and "Options:", and other sections under
# "*Name*" lines; FlowLine's help writes "usage:", "options:" (or no heading before its options)
# and "exit status: …" in lower case, as its error messages do.
cat > "$work/help.awk" <<'AWK'
function section(name) { print "*" toupper(substr(name, 1, 1)) substr(name, 2) "*" }
/^usage:/ { sub(/^usage:/, "Usage:"); usage = 1; print; next }
/^options:$/ { print "Options:"; options = 1; next }
/^examples?:$/ { section("examples"); examples = 1; next }
/^[A-Za-z][A-Za-z ]*:$/ { heading = 1 }
/^  -/ && usage && !options && !heading { print "Options:"; options = 1 }
/^  [a-z]/ && top && usage && !heading && !commands { print "*Commands*"; commands = 1 }
# "exit status: 0 …", "Reserved columns: name, …": a section of its own.
/^[A-Za-z][a-z]*( [a-z]+)?: ./ {
  i = index($0, ":"); section(substr($0, 1, i - 1))
  print substr($0, i + 2); joined = 1; examples = 0; next
}
/^$/ { joined = 0 }
joined { sub(/^ +/, "") }
examples && /^  [^ ]/ { sub(/^  /, "  $ ") }
{ print }
AWK
page() {  # page NAME SUMMARY INCLUDE [COMMAND]
  name=$1 summary=$2 include=$3 cmd=${4:-}
  top=0; [ -n "$cmd" ] || top=1
  printf '#!/bin/sh\n"%s" %s --help | awk -v top=%s -f "%s"\n' "$flowline" "$cmd" "$top" \
    "$work/help.awk" \
    > "$work/$name"
  chmod +x "$work/$name"
  help2man --no-info --section=1 --version-string="$name $version" --name="$summary" \
    --manual="FlowLine Manual" --source="FlowLine $version" --include="$include" \
    --output="$work/$name.1" "$work/$name"
  # Characters outside ASCII (…, ≥) as groff's escapes, which render in any locale.
  perl -CSD -pe 's/\x{2026}/.../g; s/([^\x00-\x7f])/sprintf("\\[u%04X]", ord $1)/ge' "$work/$name.1" \
    > "$out/$name.1"
}

commands=$("$flowline" --help | sed -n 's/^  \([a-z][a-z-]*\)  *\(.*\)/\1/p')
see_also=".BR flowline (1)"
for cmd in $commands; do see_also="$see_also,
.BR flowline-$cmd (1)"; done

{ cat "$source/docs/man/flowline.h2m"; printf '[SEE ALSO]\n%s\n' "$see_also"; } > "$work/top.h2m"
page flowline "run a table of experiments on the GPUs of a shared server" "$work/top.h2m"
for cmd in $commands; do
  summary=$("$flowline" --help | sed -n "s/^  $cmd  *\(.*\)/\1/p")
  include=$work/$cmd.h2m
  [ -f "$source/docs/man/flowline-$cmd.h2m" ] && cp "$source/docs/man/flowline-$cmd.h2m" "$include" ||
    : > "$include"
  printf '[SEE ALSO]\n%s\n' "$see_also" >> "$include"
  page "flowline-$cmd" "$summary" "$include" "$cmd"
done

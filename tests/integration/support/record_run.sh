#!/bin/sh
# The workload of the live-table tests (tests/integration/live_table_test.cpp): one run of one
# task. Used as the command template, e.g.
#   --cmd 'sh record_run.sh LOG GATE --name {name} {args}'
# It records the parameters it was started with, waits at a gate so that a test can edit the
# table while runs are in flight, then records that it finished.
#
#   LOG   file to append to; every record is one line written by one write() of less than
#         PIPE_BUF bytes to a file opened O_APPEND, so concurrent runs never interleave:
#           start run=<FLOWLINE_RUN_ID> task=<FLOWLINE_TASK_ID> pid=<pid> -- --name a --x 1
#           done run=<FLOWLINE_RUN_ID> task=<FLOWLINE_TASK_ID> pid=<pid> -- --name a --x 1
#   GATE  the run goes on once the file GATE exists (all runs) or GATE.run-<FLOWLINE_RUN_ID>
#         exists (this run only). It gives up after about 30 s and exits 3 without a "done"
#         line, so a broken test fails instead of hanging.
#   --sleep S among the parameters: sleep S seconds after the gate (a run that takes time).
#
# Exit status: 0 after the "done" line; 2 bad usage; 3 the gate never opened.
if [ $# -lt 2 ]; then
  echo "usage: record_run.sh LOG GATE [--key value]..." >&2
  exit 2
fi
log=$1
gate=$2
shift 2
params="$*"
pause=
prev=
for word in "$@"; do
  if [ "$prev" = "--sleep" ]; then pause=$word; fi
  prev=$word
done
who="run=${FLOWLINE_RUN_ID:-?} task=${FLOWLINE_TASK_ID:-?} pid=$$"

# printf builds the whole line first; the shell hands it to one write() on an O_APPEND fd.
printf 'start %s -- %s\n' "$who" "$params" >> "$log"

i=0
while [ ! -e "$gate" ] && [ ! -e "$gate.run-${FLOWLINE_RUN_ID:-none}" ]; do
  i=$((i + 1))
  if [ $i -gt 1500 ]; then
    printf 'gave-up %s -- %s\n' "$who" "$params" >> "$log"
    echo "record_run.sh: the gate $gate never opened (30 s)" >&2
    exit 3
  fi
  sleep 0.02
done
if [ -n "$pause" ]; then sleep "$pause"; fi

printf 'done %s -- %s\n' "$who" "$params" >> "$log"
exit 0

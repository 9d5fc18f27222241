#!/bin/bash
# Prints a session of the real `flowline run` shell on the example table and simulated GPUs,
# captured from tmux:  docs/shell-transcript.sh build/src/flowline > docs/shell-transcript.txt
set -u
FLOWLINE=$(realpath "$1")
D=$(mktemp -d /tmp/fl-tr-XXXX)
cp "$(dirname "$0")/../examples/todo.csv" "$D/todo.csv"
printf 'set -g remain-on-exit on\nset -g history-limit 5000\n' > $D/conf
T="tmux -S $D/s"
$T -f $D/conf new-session -d -x 110 -y 100 \
  "cd $D && $FLOWLINE run todo.csv --sim-gpus 4x24000 --max 4 --cmd '$FLOWLINE sim-job --mem {min_mem} --secs 2'"
sleep 1.5
for c in "gpus" "run" "ls" "max 2" "kill 1" "task" "status"; do
  $T send-keys -l "$c"; $T send-keys Enter; sleep 0.8
done
$T send-keys -l "exit"; $T send-keys Enter; sleep 0.5
$T send-keys -l "s"; $T send-keys Enter; sleep 2
$T capture-pane -p -S - | sed 's/[ ]*$//' | grep -v "^Pane is dead" | sed "s|$FLOWLINE|flowline|g" | cat -s
$T kill-server
rm -rf $D

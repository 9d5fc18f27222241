#!/bin/bash
# Prints a shell session captured from tmux: docs/shell-transcript.sh build-test/tests/shell_driver
set -u
DRIVER=$1
D=$(mktemp -d /tmp/fl-tr-XXXX)
mkdir $D/.flowline
mkfifo $D/fifo
printf 'epoch 1 loss 0.93\nepoch 2 loss 0.71\n' > $D/.flowline/run3.out
printf 'set -g remain-on-exit on\nset -g history-limit 5000\n' > $D/conf
T="tmux -S $D/s"
$T -f $D/conf new-session -d -x 100 -y 80 "cd $D && $DRIVER .flowline $D/fifo $D/res"
sleep 1
for c in "gpus" "task" "run" "ls" "kill 4" "max 2" "status"; do
  $T send-keys -l "$c"; $T send-keys Enter; sleep 0.5
done
$T send-keys -l "logs 3"; sleep 0.5
echo "post task 2: CUDA out of memory on GPU 0; requeued, next try in 10s" > $D/fifo; sleep 0.5
$T send-keys Enter; sleep 0.5
$T send-keys -l "exit"; $T send-keys Enter; sleep 0.5
$T send-keys -l "l"; $T send-keys Enter; sleep 0.5
$T capture-pane -p -S - | sed 's/[ ]*$//' | grep -v "^Pane is dead" | grep -v '^\[shell returned\]'
$T kill-server
rm -rf $D

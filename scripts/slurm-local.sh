#!/usr/bin/env bash
# A single-node Slurm on localhost with four fake GPUs, for FlowLine's Slurm tests (issue 15):
#   scripts/slurm-local.sh start    install what is missing (Debian packages), start munge,
#                                   slurmctld and slurmd, wait until the node is idle
#   scripts/slurm-local.sh stop     stop them (by their pid files)
#   scripts/slurm-local.sh status   say whether Slurm answers (exit 0) or not (exit 1)
#   scripts/slurm-local.sh controller-stop|controller-start
#                                   stop or start slurmctld alone (jobs go on under slurmd):
#                                   how the tests make Slurm stop answering, and come back
# Root only: it writes /etc/slurm and /var/lib, and starts daemons without systemd. It replaces
# /etc/slurm/slurm.conf and gres.conf: meant for throwaway machines (CI, a test VM).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
conf=$here/tests/slurm
fake_gpus=/var/lib/flowline-fake-gpu

say() { echo "slurm-local: $*" >&2; }

# Polls "$@" every 0.1 s for at most $limit seconds.
wait_for() {
  local limit=$1; shift
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
}

node_idle() { sinfo -h -o %T | grep -qx idle; }

start() {
  [ "$(id -u)" = 0 ] || { say "needs root (it configures and starts system daemons)"; exit 2; }
  local packages="slurmctld slurmd slurm-client munge" missing=""
  for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    say "installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
  if [ ! -s /etc/munge/munge.key ]; then
    mungekey -c -k /etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  fi
  install -d -o munge -g munge -m 755 /run/munge
  pgrep -x munged >/dev/null || runuser -u munge -- /usr/sbin/munged
  install -d "$fake_gpus"
  for i in 0 1 2 3; do [ -c "$fake_gpus/nvidia$i" ] || mknod "$fake_gpus/nvidia$i" c 1 3; done
  install -d /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /etc/slurm
  install -m 644 "$conf/slurm.conf" /etc/slurm/slurm.conf
  install -m 644 "$conf/gres.conf" /etc/slurm/gres.conf
  pgrep -x slurmctld >/dev/null || slurmctld
  pgrep -x slurmd >/dev/null || slurmd -N localhost  # the node's name is not the host's
  if ! wait_for 30 node_idle; then
    say "the node did not become idle in 30 s:"; sinfo >&2 || true
    tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
    exit 1
  fi
  say "up: $(sinfo -h -o '%P %D node(s) %T, %G')"
}

stop() {
  scontrol shutdown >/dev/null 2>&1 || true
  for pid_file in /run/slurmd.pid /run/slurmctld.pid /run/munge/munged.pid; do
    [ -f "$pid_file" ] || continue
    local pid; pid=$(cat "$pid_file")
    kill "$pid" 2>/dev/null || true
    wait_for 10 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
  done
  say "stopped"
}

controller_stop() {
  local pid; pid=$(cat /run/slurmctld.pid 2>/dev/null) || { say "slurmctld is not running"; return 0; }
  kill "$pid" 2>/dev/null || true
  wait_for 20 bash -c "! kill -0 $pid" || { say "slurmctld $pid did not stop"; exit 1; }
}

controller_start() {
  pgrep -x slurmctld >/dev/null || slurmctld
  wait_for 30 sinfo -h || { say "slurmctld does not answer after 30 s"; exit 1; }
}

case ${1:-} in
  start) start ;;
  controller-stop) controller_stop ;;
  controller-start) controller_start ;;
  stop) stop ;;
  status) sinfo -h >/dev/null 2>&1 ;;
  *) echo "usage: $0 start|stop|status|controller-stop|controller-start" >&2; exit 2 ;;
esac

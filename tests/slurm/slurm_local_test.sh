#!/usr/bin/env bash
# scripts/slurm-local.sh gives a working Slurm with GPUs (the ground issue 15's executor and its
# tests stand on): two one-GPU jobs run at once, each sees the GPU Slurm gave it in
# CUDA_VISIBLE_DEVICES, and a job asking for more GPUs than exist is refused at submission.
# Root only (77 = skipped): it starts system daemons.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "skipped: needs root"; exit 77; }
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/slurm-local.sh" start
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
a=$(sbatch --parsable --gres=gpu:1 -o a.out --wrap 'echo "gpus=$CUDA_VISIBLE_DEVICES"; sleep 1')
b=$(sbatch --parsable --gres=gpu:1 -o b.out --wrap 'echo "gpus=$CUDA_VISIBLE_DEVICES"; sleep 1')
deadline=$((SECONDS + 30))
while squeue -h -j "$a,$b" 2>/dev/null | grep -q .; do
  [ $SECONDS -lt $deadline ] || fail "jobs $a and $b did not end in 30 s: $(squeue)"
  sleep 0.1
done
ga=$(sed -n 's/^gpus=//p' a.out); gb=$(sed -n 's/^gpus=//p' b.out)
[[ $ga =~ ^[0-3]$ && $gb =~ ^[0-3]$ ]] || fail "CUDA_VISIBLE_DEVICES was '$ga' and '$gb'"
# Both ran at once on one node with four GPUs, so Slurm gave them different GPUs.
[ "$ga" != "$gb" ] || fail "both jobs were given GPU $ga"
if sbatch --parsable --gres=gpu:5 --wrap true >/dev/null 2>err.txt; then
  fail "a job asking for 5 of 4 GPUs was accepted"
fi
echo "ok: jobs $a and $b ran on GPUs $ga and $gb; gpu:5 refused: $(head -c 120 err.txt)"

#!/usr/bin/env bash
# The chaos suite (issue 14): a table run to the end while FlowLine is killed again and again,
# at random moments and at the worst ones, with its supervisors killed too and the table edited
# between restarts. Then it checks what a user would:
#   - every row of the final table has exactly need_run_num successful runs, of its own
#     parameters (each run writes its row's seed into the row's ledger);
#   - the table's run_num, the database's task record and its succeeded runs agree, and the
#     database passes `PRAGMA integrity_check`;
#   - nothing ran twice: no run id started twice, no row got more successes than it needed;
#   - no run is left behind without FlowLine, and no temp file beside the table.
#
# usage: tests/chaos/chaos.sh BUILD_DIR [TASKS [KILLS [SEED]]]
#   defaults 500 tasks, 50 kills, seed 1 (CI runs a smaller size: tests/cmake/chaos.cmake).
#   Each kill is one of (chosen at random):
#     random      kill -9 of FlowLine at a random moment once it is dispatching
#     table       FLOWLINE_CRASH_AT=table-replace:N: between writing the table's new version
#                 and renaming it over the old one
#     store       FLOWLINE_CRASH_AT=store-commit:N: inside a database transaction
#     server      kill -9 of the supervisor server, then of FlowLine
#     supervisor  kill -9 of one run's supervisor (the run dies with it), then of FlowLine
#   KEEP=1 keeps the work directory. Prints a summary line per kill and the totals.
set -euo pipefail
build=$(cd "${1:?usage: chaos.sh BUILD_DIR [TASKS [KILLS [SEED]]]}" && pwd)
tasks=${2:-500}
kills=${3:-50}
seed=${4:-1}
fl=$build/src/flowline
[ -x "$fl" ] || { echo "chaos: no flowline in $build/src" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/flowline-chaos.XXXXXX")
cleanup() {
  pkill -9 -f "$work/" 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "chaos: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
RANDOM=$seed
cd "$work"
mkdir ledger

# Each run appends "RUN_ID start SEED" to its row's ledger, works a little, then "RUN_ID ok SEED"
# and exits 0. A run killed between the two lines is one FlowLine must count as failed.
cat >run.sh <<'EOF'
key=$1 seed=$2
echo "$FLOWLINE_RUN_ID start $seed" >>"ledger/$key"
sleep "0.$((RANDOM % 7 + 2))"
echo "$FLOWLINE_RUN_ID ok $seed" >>"ledger/$key"
EOF
python3 - "$tasks" "$seed" <<'EOF'
import csv, random, sys
n, seed = int(sys.argv[1]), int(sys.argv[2])
rnd = random.Random(seed)
with open("todo.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["name", "key", "seed", "gpus", "min_mem", "need_run_num"])
    for i in range(n):
        w.writerow([f"t{i}", f"t{i}", rnd.randrange(10**6), rnd.choice([0, 1, 1, 2]),
                    rnd.choice([1000, 6000, 11000]), rnd.choice([1, 1, 2])])
EOF

args=(run todo.csv --batch --max 8 --sim-gpus 4x24000 --retries 1000
      --cmd "sh $work/run.sh {key} {seed}")
starts() { cat ledger/* 2>/dev/null | grep -c ' start ' || true; }

# Waits (at most $2 s) for FlowLine ($1) to dispatch something new or end.
wait_for_progress() {
  local pid=$1 before=$2 deadline=$((SECONDS + 20))
  while [ "$(starts)" -le "$before" ] && kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.02
  done
}
# Pids of the supervisor server and of runs' supervisors under FlowLine $1.
supervisors() { pgrep -f "flowline-supervise" -P "$1" 2>/dev/null || true; }
run_supervisors() {
  local server
  for server in $(supervisors "$1"); do pgrep -P "$server" 2>/dev/null || true; done
}

# Table edits between restarts, as a user makes them: rows added, need_run_num raised, rows
# moved. FlowLine's run_num column is kept as it wrote it.
edit_table() {
  python3 - "$1" "${2:-3}" <<'EOF'
import csv, random, sys
rnd = random.Random(int(sys.argv[1]))
rows = list(csv.reader(open("todo.csv", newline="")))
head, body = rows[0], rows[1:]
col = {name: i for i, name in enumerate(head)}
for _ in range(int(sys.argv[2])):
    row = [""] * len(head)
    row[col["name"]] = row[col["key"]] = f"added{sys.argv[1]}x{len(body)}"
    row[col["seed"]], row[col["gpus"]] = str(rnd.randrange(10**6)), "1"
    row[col["min_mem"]], row[col["need_run_num"]] = "2000", "1"
    body.append(row)
for row in rnd.sample(body, 2):
    row[col["need_run_num"]] = str(int(row[col["need_run_num"]]) + 1)
a, b = rnd.sample(range(len(body)), 2)
body[a], body[b] = body[b], body[a]
with open("todo.csv.edit", "w", newline="") as f:
    csv.writer(f).writerows([head] + body)
EOF
  mv todo.csv.edit todo.csv
}

# A kill "lands" when it ends a FlowLine that was still working (exit 137). An instance that
# finished the table before its kill gets more rows for the next one.
declare -A done_by
t0=$SECONDS
landed=0
for ((round = 1; landed < kills && round <= 3 * kills; ++round)); do
  (( round % 5 == 0 )) && edit_table "$round"
  modes=(random random table store server supervisor)
  mode=${modes[RANDOM % ${#modes[@]}]}
  before=$(starts)
  crash_at=""
  [ "$mode" = table ] && crash_at="table-replace:$((RANDOM % 2 + 1))"
  [ "$mode" = store ] && crash_at="store-commit:$((RANDOM % 20 + 1))"
  FLOWLINE_CRASH_AT=$crash_at "$fl" "${args[@]}" >>flowline.log 2>&1 </dev/null &
  pid=$!
  how=$mode
  if [ -n "$crash_at" ]; then
    deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.02; done
    kill -0 "$pid" 2>/dev/null && { how="$mode (point not reached: random)"; kill -9 "$pid"; }
  elif wait_for_progress "$pid" "$before"; then
    case $mode in
      random) sleep "0.$((RANDOM % 300))" ;;
      server)
        server=$(supervisors "$pid" | head -n 1)
        [ -n "$server" ] && kill -9 "$server" 2>/dev/null || how="server (none found)"
        sleep 0.3 ;;
      supervisor)
        victim=$(run_supervisors "$pid" | shuf -n 1 --random-source=<(yes "$RANDOM"))
        [ -n "$victim" ] && kill -9 "$victim" 2>/dev/null || how="supervisor (none found)"
        sleep 0.3 ;;
    esac
    kill -9 "$pid" 2>/dev/null || how="$how (it had ended)"
  else
    kill -9 "$pid" 2>/dev/null || how="$how (it had ended)"
  fi
  set +e; wait "$pid"; rc=$?; set -e
  if [ "$rc" = 137 ]; then
    landed=$((landed + 1))
    done_by[$mode]=$(( ${done_by[$mode]:-0} + 1 ))
  else
    edit_table "$((round + 100000))" 20
  fi
  echo "round $round: $how, exit $rc, $landed kills landed, $(starts) starts so far"
done
if [ "$landed" -lt "$kills" ]; then
  echo "chaos: FAILED: only $landed of $kills kills landed on a working FlowLine" >&2; exit 1
fi

# The last instance runs to the end.
"$fl" "${args[@]}" >>flowline.log 2>&1 </dev/null &
pid=$!
deadline=$((SECONDS + 600))
while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then
  echo "chaos: FAILED: the last FlowLine did not finish in 600 s" >&2; tail -n 20 flowline.log >&2
  exit 1
fi
set +e; wait "$pid"; rc=$?; set -e
if [ "$rc" != 0 ]; then
  echo "chaos: FAILED: the last FlowLine exited $rc" >&2; tail -n 20 flowline.log >&2; exit 1
fi
state_db=$(find "$work" -name flowline.db -path '*flowline*' | head -n 1)
left=$(pgrep -f "$work/run.sh" || true)
temps=$(ls todo.csv.flowline-* 2>/dev/null || true)

python3 - "$state_db" "$left" "$temps" <<'EOF'
import csv, os, sqlite3, sys
from collections import Counter, defaultdict
db_path, left, temps = sys.argv[1], sys.argv[2], sys.argv[3]
faults = []
rows = list(csv.DictReader(open("todo.csv", newline="")))
db = sqlite3.connect(db_path)
check = db.execute("PRAGMA integrity_check").fetchone()[0]
if check != "ok":
    faults.append(f"database integrity_check: {check}")
record = {name: (run_num, state) for name, run_num, state in
          db.execute("SELECT name, run_num, state FROM tasks")}
succeeded = Counter(name for (name,) in db.execute(
    "SELECT t.name FROM runs r JOIN tasks t ON t.id = r.task_id WHERE r.state = 'succeeded'"))
starts = Counter()
total_ok = 0
for row in rows:
    key, need = row["key"], int(row["need_run_num"])
    run_num = int(row.get("run_num") or 0)
    lines = open(f"ledger/{key}").read().split("\n") if os.path.exists(f"ledger/{key}") else []
    lines = [l.split() for l in lines if l]
    oks = [l for l in lines if l[1] == "ok"]
    for l in lines:
        if l[2] != row["seed"]:
            faults.append(f"{key}: run {l[0]} ran seed {l[2]}, not its row's {row['seed']}")
        if l[1] == "start":
            starts[l[0]] += 1
    if run_num != need:
        faults.append(f"{key}: run_num {run_num} in the table, need_run_num {need}")
    if record.get(key, (None,))[0] != run_num:
        faults.append(f"{key}: the database says run_num {record.get(key)}, the table {run_num}")
    if succeeded[key] != need:
        faults.append(f"{key}: {succeeded[key]} succeeded runs in the database, need {need}")
    if len(oks) < need:
        faults.append(f"{key}: only {len(oks)} runs finished their work, need {need}")
    total_ok += succeeded[key]
for run_id, n in starts.items():
    if n > 1:
        faults.append(f"run {run_id} started {n} times")
if left.strip():
    faults.append(f"runs left without FlowLine: pids {left.split()}")
if temps.strip():
    faults.append(f"temp files left beside the table: {temps.split()}")
states = Counter(s for (s,) in db.execute("SELECT state FROM runs"))
print(f"chaos: {len(rows)} rows, {total_ok} successful runs, {sum(starts.values())} starts; "
      f"runs by state: {dict(states)}")
for f in faults[:40]:
    print("chaos: FAULT:", f)
if faults:
    print(f"chaos: FAILED with {len(faults)} faults")
    sys.exit(1)
print("chaos: passed")
EOF
echo "chaos: $landed kills landed (${!done_by[*]}: ${done_by[*]}) in $((SECONDS - t0)) s"

#include "front/shell/command_spec.hpp"

namespace flowline::shell {

const std::vector<CommandSpec>& command_specs() {
  static const std::vector<CommandSpec> specs = {
      {"run", "run [on|off]", "start or stop dispatching (toggles without an argument)",
       "Starts or stops launching new runs. Runs already started keep running either way.\n"
       "The shell starts with dispatch stopped unless `flowline run --start` was used.\n"
       "`run on` and `run off` are saved: a batch run restarted later (after a crash, say)\n"
       "goes on dispatching, or stays paused, as last chosen; --start dispatches anyway.\n"
       "The shell always starts stopped, whatever was saved.\n"},
      {"gpu", "gpu <gpu id>  (GPU ids: see gpus)", "switch a GPU off or back on",
       "Toggles whether FlowLine may start runs on the GPU. Its runs keep running; use\n"
       "`killgpu` to stop them. Saved for the next start, unless --gpus is given then.\n",
       ArgumentKind::kGpuId},
      {"killgpu", "killgpu <gpu id>  (GPU ids: see gpus)", "stop FlowLine's runs on a GPU",
       "Stops every FlowLine run using the GPU; their tasks go back to the queue.\n"
       "Other users' processes are never touched.\n",
       ArgumentKind::kGpuId},
      {"kill", "kill <run id>  (run ids: see ls)", "stop a run; its task goes back to the queue",
       "Stops the run (its whole process group) and requeues its task, as the original did.\n"
       "Use `drop <task id>` to remove the task instead.\n",
       ArgumentKind::kRunId},
      {"ls", "ls [--json]", "list running runs",
       "Columns: RUN id, TASK id, NAME, GPUS, ELAPSED, PEAK MiB (the most it has used on one\n"
       "GPU so far), SESSION (process session id), COMMAND.\n"
       "--json: an array of {run_id, task_id, name, gpus: [int], started_ms, elapsed_s,\n"
       "session_id, command, out_path, err_path, peak_mem_mib}.\n",
       ArgumentKind::kNone, true},
      {"gpus", "gpus [--json]", "show the GPUs: memory, load, processes",
       "Columns: GPU index, STATUS (available | disabled | error), UTIL %, FREE/TOTAL MiB,\n"
       "PROCS (FlowLine's/all), TEMP °C, POWER W (draw/limit). '-' means unknown.\n"
       "--json: the object that `flowline gpus --json` prints: GPU index (a string) ->\n"
       "{name, uuid, status, free_memory, total_memory (MiB), utilization, temperature,\n"
       "power, max_power, user_process_num, all_process_num, processes: [{pid, user,\n"
       "used_memory, flowline}], error, simulated}; unknown values are null.\n",
       ArgumentKind::kNone, true},
      {"task", "task [--json]", "list every task and its state",
       "Columns: ID, NAME, STATE (queued | running | backoff | done | failed | dropped |\n"
       "infeasible), RUNS (run_num/need_run_num), PRIO (priority), MEM MiB (peak/asked: the\n"
       "most a run used on one GPU, then what the next run asks for; + when raised after\n"
       "out-of-memory deaths, * learned from its runs, ~ from its --mem-group), NOTE (for a\n"
       "waiting task:\n"
       "its place in the queue, what holds it and when it may start, e.g. \"#3, slot (--max 2),\n"
       "~4m0s\"; then the last error).\n"
       "--json: an array of {id, name, state, run_num, need_run_num, priority, gpus, min_mem,\n"
       "live_runs, failures, waiting_for, last_error, queue_position, wait: {kind, text, ...},\n"
       "expected_start_ms, min_mem_used, min_mem_raised, min_mem_source, mem_group,\n"
       "peak_mem_mib}; min_mem is null when the global setting applies or it says auto\n"
       "(min_mem_auto); min_mem_source: runs, group, min_mem, global, raised; wait.kind:\n"
       "none, memory, slot, backoff, gpus_off, infeasible, stopped, building.\n",
       ArgumentKind::kNone, true},
      {"status", "status [--json]", "dispatch on/off, counts, limits, uptime",
       "--json: {dispatching, max_running, min_mem_mib, order, task_order (\"table\" or\n"
       "\"pack\"), disabled_gpus: [int],\n"
       "uptime_s, simulated, finished, counts: {done, running, queued, failed, other,\n"
       "runs_done, runs_total}, next_task: {id, name, queue_position, wait,\n"
       "expected_start_ms} or null}.\n",
       ArgumentKind::kNone, true},
      {"max", "max <n>  (n ≥ 1: runs at once)", "set how many runs may run at once",
       "Lowering it stops nothing: it only holds back new launches. Saved for the next\n"
       "start, unless --max is given then.\n",
       ArgumentKind::kNumber},
      {"min", "min <MiB>|auto  (free memory a GPU needs, e.g. min 10000)",
       "set the free memory (MiB) a task needs on a GPU",
       "Applies to tasks without their own min_mem column value. `min auto` sizes them from\n"
       "their measured runs (or their --mem-group's) plus --mem-margin; before the first\n"
       "measurement they ask for the last number set. Saved for the next start, unless\n"
       "--min-mem is given then.\n",
       ArgumentKind::kNumber},
      {"order", "order <keys>  (e.g. order free_memory desc, utilization asc)",
       "set the order in which GPUs are tried",
       "Keys: index, free_memory, total_memory, utilization, user_process_num,\n"
       "all_process_num, temperature, power, max_power; each optionally asc or desc,\n"
       "separated by commas. `order default` restores free memory desc, utilization asc.\n"
       "Saved for the next start, unless --order is given then.\n",
       ArgumentKind::kOrderKeys},
      {"drop", "drop <task id>  (task ids: see task)", "remove a task from the queue",
       "Its live runs keep running; `kill` them if they should stop. `retry` undoes a drop.\n",
       ArgumentKind::kTaskId},
      {"retry", "retry <task id>  (task ids: see task)", "put a failed or dropped task back",
       "Clears its failure count so it gets its full --retries again. A done task is\n"
       "refused: to run it again, raise its need_run_num in the table.\n",
       ArgumentKind::kTaskId},
      {"add", "add column=value ...  (e.g. add lr=0.01 seed=3)", "append a task to the table file",
       "Appends a row to the table file, in its own format (CSV, JSON or XLSX), touching\n"
       "nothing else, and queues it at once. Columns not given are left blank (their\n"
       "defaults apply); a column the table lacks is refused. Quote a value with spaces:\n"
       "add name='big run' lr=0.1\n"},
      {"copy", "copy <task id> [column=value ...]  (task ids: see task)",
       "append a copy of a task's row, with changes",
       "Appends a row with the task's values, run_num left blank, and the given columns\n"
       "changed, e.g. `copy 3 seed=4`. The new row is a new task: it runs even when nothing\n"
       "is changed (identical rows are separate tasks).\n",
       ArgumentKind::kTaskId},
      {"reload", "reload", "read the table file again now",
       "FlowLine notices every save of the table within a second and applies it: new rows\n"
       "are queued, removed rows dropped (their live runs finish, credited to no row),\n"
       "changed need_run_num, priority, min_mem, gpus and timeout apply to later runs.\n"
       "`reload` forces a read, and says what changed.\n"},
      {"logs", "logs <run id> [-f]  (run ids: see ls)", "show the end of a run's output",
       "Prints the last lines of the run's stdout and stderr files, whether it is running or\n"
       "has ended (its files stay in the log directory). -f keeps following a running one\n"
       "until Ctrl-C or the run ends (interactive shell only; over ctl, use tail -f on the\n"
       "paths printed).\n",
       ArgumentKind::kRunId},
      {"exit", "exit", "leave FlowLine (asks what to do with live runs)",
       "With runs alive, asks whether to stop them or leave them running for a later\n"
       "`flowline run` of the same state directory to re-adopt. Ctrl-D does the same.\n"
       "Over ctl, use `stop` instead.\n"},
      {"stop", "stop [--leave-runs]", "stop this FlowLine instance (for ctl and scripts)",
       "Stops the instance without asking: its runs are stopped too, unless --leave-runs\n"
       "keeps them running for a later `flowline run` to re-adopt.\n"},
      {"help", "help [command]", "list commands, or explain one", "`?` is the same.\n",
       ArgumentKind::kCommandName},
  };
  return specs;
}

const CommandSpec* find_command(const std::string& name) {
  for (const auto& spec : command_specs())
    if (name == spec.name) return &spec;
  return nullptr;
}

}  // namespace flowline::shell

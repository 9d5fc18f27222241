// After a crash or `kill -9`: take back progress the table may not show yet, and re-adopt the
// runs that outlived the previous FlowLine, so that nothing is started twice.
#include "engine/engine.hpp"

namespace flowline {

Status Engine::recover() {
  Millis now = parts_.clock->now_ms();
  Result<std::vector<StoredTask>> known = parts_.store->tasks();
  if (!known.ok()) return known.error();
  for (const StoredTask& k : *known) {
    if (k.table_path != config_.table_path || k.id >= static_cast<int64_t>(scheduler_.tasks().size()))
      continue;
    const Task& task = scheduler_.tasks()[k.id].task;
    // The database is written before the table; a larger count there is progress the table
    // missed. A smaller one means the user edited the table, and the table wins.
    if (k.name == task.name && k.run_num > task.run_num) {
      scheduler_.restore_run_num(k.id, k.run_num);
      mirror_run_num(task, now);
    }
  }
  std::vector<StoredTask> current;
  for (const auto& p : scheduler_.tasks()) {
    StoredTask t;
    t.id = p.task.id;
    t.table_path = config_.table_path;
    t.name = p.task.name;
    t.run_num = p.task.run_num;
    t.need_run_num = p.task.need_run_num;
    current.push_back(std::move(t));
  }
  if (Status s = parts_.store->upsert_tasks(current); !s.ok()) return s.error();
  Result<std::vector<StoredRun>> runs =
      parts_.store->runs_in_state({RunState::kStarting, RunState::kRunning});
  if (!runs.ok()) return runs.error();
  for (const StoredRun& run : *runs) adopt(run);
  publish();
  return ok_status();
}

void Engine::adopt(const StoredRun& run) {
  if (run.task_id < 0 || run.task_id >= static_cast<int64_t>(scheduler_.tasks().size())) {
    (void)parts_.store->record_exit(run.run_id, exit_of(run.run_id), RunState::kLost,
                                    "lost", "its task is no longer in the table");
    return;
  }
  RunRecord record;
  record.run_id = run.run_id;
  record.supervisor_pid = run.supervisor_pid.value_or(0);
  record.session_id = run.session_id.value_or(0);
  record.run_dir = run.run_dir;
  Result<RunRecord> adopted = parts_.executor->adopt(record);
  if (!adopted.ok()) {
    (void)parts_.store->record_exit(run.run_id, exit_of(run.run_id), RunState::kLost,
                                    "lost", adopted.error().message);
    say("run " + std::to_string(run.run_id) + " could not be re-adopted: " +
        adopted.error().message);
    return;
  }
  record = *adopted;
  const Task& task = scheduler_.tasks()[run.task_id].task;
  LaunchDecision d{run.task_id, run.gpus, scheduler_.min_mem_of(task), task.run_num + 1};
  Millis started = run.start_ms.value_or(parts_.clock->now_ms());
  scheduler_.on_launched(run.run_id, d, started);
  live_[run.run_id] = Live{record, RunView{run.run_id, task.id, task.name, run.gpus, started,
                                           record.session_id, "", run.out_path, run.err_path}};
  say("re-adopted run " + std::to_string(run.run_id) + " of task " + std::to_string(task.id) +
      " (" + task.name + ")");
}

}  // namespace flowline

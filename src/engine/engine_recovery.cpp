// After a crash or `kill -9`: take back progress the table may not show yet, and re-adopt the
// runs that outlived the previous FlowLine, so that nothing is started twice. Both follow the
// tasks' identities (core/task_identity.hpp), so a table edited in between is no danger.
#include "engine/engine.hpp"

namespace flowline {

Status Engine::recover() {
  if (recovered_) return ok_status();
  Result<std::vector<StoredTask>> known = parts_.store->tasks();
  if (!known.ok()) return known.error();
  Result<std::vector<StoredRun>> runs =
      parts_.store->runs_in_state({RunState::kStarting, RunState::kRunning});
  if (!runs.ok()) return runs.error();
  if (Status s = check_run_kinds(*runs); !s.ok()) return s;
  load_store_identities(*known);
  if (initial_table_) apply_table(std::move(*initial_table_));
  initial_table_.reset();
  recovered_ = true;
  for (const auto& p : scheduler_.tasks())
    if (!p.removed) runs_done_at_start_ += std::min(p.task->run_num, p.task->need_run_num);
  std::map<int64_t, std::string> stored_names;
  for (const StoredTask& k : *known) stored_names[k.id] = k.name;
  for (const StoredRun& run : *runs) adopt(run, stored_names);
  tell_feed_our_sessions();  // the adopted runs' GPU processes are FlowLine's
  learn_stored_durations();
  if (auto peaks = parts_.store->task_memory_peaks(); peaks.ok()) {
    for (const auto& [task_id, mib] : *peaks) scheduler_.note_peak(task_id, mib);
  } else {
    say("cannot read the runs' measured GPU memory: " + peaks.error().message);
  }
  restore_settings();
  publish();
  return ok_status();
}

// Runs another executor started may still be running: adopting them here would lose them, and
// running their tasks again would run them twice. Refused before anything changes.
Status Engine::check_run_kinds(const std::vector<StoredRun>& runs) const {
  const std::string mine = parts_.executor->kind();
  for (const StoredRun& run : runs) {
    const std::string theirs = handle_kind(run.handle);
    if (theirs.empty() || theirs == mine) continue;
    return Error{"run " + std::to_string(run.run_id) + " was started by the " + theirs +
                 " executor and may still be running; start FlowLine with --executor " + theirs +
                 " on this table until it has ended (this session uses " + mine + ")"};
  }
  return ok_status();
}

// A run whose task left the table is adopted all the same: it finishes, and is recorded,
// but credited to no row.
void Engine::adopt(const StoredRun& run, const std::map<int64_t, std::string>& stored_names) {
  auto name = stored_names.find(run.task_id);
  if (run.task_id < 0 || (!scheduler_.knows_task(run.task_id) && name == stored_names.end())) {
    (void)parts_.store->record_exit(run.run_id, exit_of(run.run_id), RunState::kLost,
                                    "lost", "its task is not known to this state directory");
    return;
  }
  Result<RunHandle> adopted = parts_.executor->adopt(RunHandle{run.run_id, run.handle});
  if (!adopted.ok()) {
    (void)parts_.store->record_exit(run.run_id, exit_of(run.run_id), RunState::kLost,
                                    "lost", adopted.error().message);
    say("run " + std::to_string(run.run_id) + " could not be re-adopted: " +
        adopted.error().message);
    return;
  }
  if (!scheduler_.has_task(run.task_id)) {
    // Its row left the table: a slot of its own, under the name it had, keeps the run known.
    Task gone;
    gone.id = run.task_id;
    gone.name = name != stored_names.end() ? name->second : "Task:" + std::to_string(run.task_id);
    gone.need_run_num = 0;
    scheduler_.put_task(std::move(gone));
    scheduler_.remove_task(run.task_id);
    say("run " + std::to_string(run.run_id) + " of task " + std::to_string(run.task_id) + " (" +
        scheduler_.tasks()[run.task_id].task->name +
        ") is still running, but its row is no longer in the table: it will be recorded when "
        "it ends, and credited to no row");
  }
  const auto task_held = scheduler_.tasks()[run.task_id].task;  // kept alive across edits
  const Task& task = *task_held;
  LaunchDecision d{run.task_id, run.gpus,
                   scheduler_.requirement_of(scheduler_.tasks()[run.task_id]), task.run_num + 1};
  Millis started = run.start_ms.value_or(parts_.clock->now_ms());
  scheduler_.on_launched(run.run_id, d, started);
  memory_.start(run.run_id, run.gpus);
  live_[run.run_id] = Live{*adopted, RunView{run.run_id, task.id, task.name, run.gpus, started,
                                             parts_.executor->place(run.run_id), "",
                                             run.out_path, run.err_path, std::nullopt, {}}};
  if (!scheduler_.tasks()[run.task_id].removed)
    say("re-adopted run " + std::to_string(run.run_id) + " of task " + std::to_string(task.id) +
        " (" + task.name + ")");
}

}  // namespace flowline

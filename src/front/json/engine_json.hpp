#pragma once
// The JSON views of the engine's state that every front end shares: `ctl task --json` and
// GET /api/v1/tasks print the same object for a task. Keys are a stable interface for scripts
// (documented in `help task` and docs/http-api.md); new keys may be added, none renamed.
#include <nlohmann/json.hpp>

#include "core/run_memory.hpp"

#include "engine/engine_event.hpp"
#include "engine/snapshot.hpp"
#include "store/stored_types.hpp"

namespace flowline::json {

// {id, name, state, run_num, need_run_num, priority, gpus, min_mem, live_runs, failures,
//  waiting_for, last_error, row, cmd, params: {column: value},
//  queue_position (1 = next to start; null unless queued or backing off),
//  wait (null unless queued, backing off or infeasible; see wait() below),
//  expected_start_ms (when it may start, never before now_ms; null when unknown)}
nlohmann::json task(const TaskView& task, Millis now_ms);
// What holds a task: {kind: none|memory|slot|backoff|gpus_off|infeasible|stopped|building,
//  text, and by kind: memory {needs_mib, gpus, best_usable_mib (null: no GPU readable)},
//  infeasible {needs_mib, gpus}, slot {max_running}, backoff {until_ms, after_oom},
//  gpus_off {gpus, gpus_on}}
nlohmann::json wait(const WaitReason& wait);
nlohmann::json tasks(const EngineSnapshot& snap);
// tasks(snap).dump(2), written task by task (the whole document of a large table is not built).
std::string tasks_text(const EngineSnapshot& snap);

// A live run: {run_id, task_id, name, gpus, started_ms, elapsed_s, session_id, command,
// out_path, err_path}
nlohmann::json live_run(const RunView& run, Millis now_ms);
nlohmann::json live_runs(const EngineSnapshot& snap);

// A run from the store, live or ended: {run_id, task_id, attempt, state, start_ms, end_ms,
// gpus, exit_code, signal, outcome, message}
nlohmann::json stored_run(const StoredRun& run);
// A run's measured GPU memory over time: {run_id, peak_mem_mib, time_ms: [], mib: []}.
nlohmann::json memory_series(int64_t run_id, std::optional<int64_t> peak_mib,
                             const std::vector<MemoryPoint>& series);

// {dispatching, max_running, min_mem_mib, order, task_order, disabled_gpus, uptime_s,
//  simulated, finished, counts: {...},
//  next_task: {id, name, queue_position, wait, expected_start_ms} or null}
nlohmann::json status(const EngineSnapshot& snap);

// {seq, kind, time_ms, task_id?, run_id?, task_name?, text}
nlohmann::json event(const EngineEvent& event);

}  // namespace flowline::json

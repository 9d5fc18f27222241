#include "front/json/engine_json.hpp"

namespace flowline::json {
namespace {

template <class T>
nlohmann::json or_null(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

Millis since(Millis now, Millis then) { return now > then ? now - then : 0; }

}  // namespace

nlohmann::json task(const TaskView& t) {
  nlohmann::json params = nlohmann::json::object();
  for (auto [name, value] : t.task->params) params[name] = value;
  return {{"id", t.task->id},
          {"name", t.task->name},
          {"state", std::string(task_state_name(t.state))},
          {"run_num", t.task->run_num},
          {"need_run_num", t.task->need_run_num},
          {"priority", t.task->priority},
          {"gpus", t.task->gpus},
          {"min_mem", or_null(t.task->min_mem)},
          {"live_runs", t.live_runs},
          {"failures", t.failures},
          {"waiting_for", t.waiting_for},
          {"last_error", t.last_error},
          {"row", t.task->row},
          {"cmd", t.task->cmd},
          {"params", std::move(params)}};
}

nlohmann::json tasks(const EngineSnapshot& snap) {
  auto out = nlohmann::json::array();
  for (const auto& t : snap.tasks) out.push_back(task(t));
  return out;
}

std::string tasks_text(const EngineSnapshot& snap) {
  // One task's document at a time: a document of 100,000 tasks took 1.4 GB of allocations
  // and a second to build before a byte was written.
  std::string out = "[";
  for (const TaskView& t : snap.tasks) {
    out += out.size() == 1 ? "\n  " : ",\n  ";
    const std::string one = task(t).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    for (char ch : one) {
      out += ch;
      if (ch == '\n') out += "  ";
    }
  }
  out += snap.tasks.empty() ? "]" : "\n]";
  return out;
}

nlohmann::json live_run(const RunView& run, Millis now_ms) {
  return {{"run_id", run.run_id},
          {"task_id", run.task_id},
          {"name", run.task_name},
          {"gpus", run.gpus},
          {"started_ms", run.started_ms},
          {"elapsed_s", since(now_ms, run.started_ms) / 1000},
          {"session_id", run.session_id},
          {"command", run.command},
          {"out_path", run.out_path},
          {"err_path", run.err_path}};
}

nlohmann::json live_runs(const EngineSnapshot& snap) {
  auto out = nlohmann::json::array();
  for (const auto& run : snap.runs) out.push_back(live_run(run, snap.taken_ms));
  return out;
}

nlohmann::json stored_run(const StoredRun& run) {
  return {{"run_id", run.run_id},
          {"task_id", run.task_id},
          {"attempt", run.attempt},
          {"state", to_string(run.state)},
          {"start_ms", or_null(run.start_ms)},
          {"end_ms", or_null(run.end_ms)},
          {"gpus", run.gpus},
          {"exit_code", or_null(run.exit_code)},
          {"signal", or_null(run.signal)},
          {"outcome", run.classification},
          {"message", run.message}};
}

nlohmann::json status(const EngineSnapshot& snap) {
  const auto& s = snap.settings;
  const auto& c = snap.counts;
  return {{"dispatching", s.dispatching},
          {"max_running", s.max_running},
          {"min_mem_mib", s.default_min_mem_mib},
          {"order", snap.order.empty() ? "default" : snap.order},
          {"task_order", s.pack_largest_first ? "pack" : "table"},
          {"disabled_gpus", s.disabled_gpus},
          {"uptime_s", since(snap.taken_ms, snap.started_ms) / 1000},
          {"simulated", snap.simulated},
          {"finished", snap.finished},
          {"counts",
           {{"done", c.done},
            {"running", c.running},
            {"queued", c.queued},
            {"failed", c.failed},
            {"other", c.other},
            {"runs_done", c.runs_done},
            {"runs_total", c.runs_total}}}};
}

nlohmann::json event(const EngineEvent& e) {
  nlohmann::json out = {{"seq", e.seq},
                        {"kind", std::string(event_kind_name(e.kind))},
                        {"time_ms", e.time_ms},
                        {"text", e.text}};
  if (e.task_id) out["task_id"] = *e.task_id;
  if (e.run_id) out["run_id"] = *e.run_id;
  if (!e.task_name.empty()) out["task_name"] = e.task_name;
  return out;
}

}  // namespace flowline::json

// FlowLine's own API under /api/v1/ (docs/http-api.md): status, settings, runs and their
// output from a byte offset, GPUs and their recent history. Tasks: routes_v1_tasks.cpp.
#include <unistd.h>

#include <algorithm>
#include <set>

#include "exec/local/proc.hpp"
#include "front/http/access_token.hpp"
#include "front/http/http_reply.hpp"
#include "front/http/request_guard.hpp"
#include "front/http/route_context.hpp"
#include "front/http/log_files.hpp"
#include "front/json/engine_json.hpp"
#include "front/json/gpu_json.hpp"

namespace flowline::http {
namespace {

using httplib::Request;
using httplib::Response;
namespace views = ::flowline::json;
using nlohmann::json;

json settings_json(const EngineSnapshot& snap) {
  const auto& s = snap.settings;
  return {{"max_running", s.max_running},
          {"min_mem_mib", s.default_min_mem_mib},
          {"min_mem_auto", s.min_mem_auto},
          {"mem_group", s.mem_group_columns},
          {"mem_margin_percent", s.memory_margin_percent},
          {"mem_margin_learned", s.memory_margin_learned},
          {"order", snap.order.empty() ? "default" : snap.order},
          {"dispatching", s.dispatching},
          {"disabled_gpus", s.disabled_gpus}};
}

json status_json(const RouteContext& c, const EngineSnapshot& snap) {
  json out = views::status(snap);
  const Millis now = now_ms();
  out["uptime_s"] = (now > snap.started_ms ? now - snap.started_ms : 0) / 1000;
  out["version"] = c.version;
  out["table"] = c.table_path;
  out["table_unreadable"] = snap.table_unreadable;
  out["table_unwritten"] = snap.table_unwritten;
  out["gpus"] = snap.gpus.size();
  // Runs still wanted at the rate of this session's successful runs; null until one ended.
  const auto& counts = snap.counts;
  const int64_t done_now = counts.runs_done - counts.runs_done_at_start;
  const int64_t left = counts.runs_total - counts.runs_done;
  const Millis ran = now > snap.started_ms ? now - snap.started_ms : 0;
  out["eta_s"] = done_now > 0 && left > 0 ? json(ran / 1000 * left / done_now) : json(nullptr);
  return out;
}

// Checks every field before changing anything, so that a bad body changes nothing.
std::optional<std::string> settings_problem(const json& body, const EngineSnapshot& snap) {
  static const std::set<std::string> kKnown = {"max_running", "min_mem_mib", "min_mem_auto",
                                               "order", "dispatching", "disabled_gpus"};
  for (const auto& [key, value] : body.items()) {
    if (!kKnown.count(key))
      return "unknown setting '" + key +
             "' (known: max_running, min_mem_mib, min_mem_auto, order, dispatching, "
             "disabled_gpus)";
  }
  if (body.contains("min_mem_auto") && !body["min_mem_auto"].is_boolean())
    return "min_mem_auto: expected true or false";
  if (body.contains("max_running") &&
      (!body["max_running"].is_number_integer() || body["max_running"].get<int64_t>() < 1))
    return "max_running: expected a whole number ≥ 1";
  if (body.contains("min_mem_mib") &&
      (!body["min_mem_mib"].is_number_integer() || body["min_mem_mib"].get<int64_t>() < 0))
    return "min_mem_mib: expected a number of MiB ≥ 0";
  if (body.contains("order") && !body["order"].is_string())
    return "order: expected keys like \"free,util\" or \"default\"";
  if (body.contains("dispatching") && !body["dispatching"].is_boolean())
    return "dispatching: expected true or false";
  if (body.contains("disabled_gpus")) {
    if (!body["disabled_gpus"].is_array()) return "disabled_gpus: expected an array of GPU ids";
    for (const json& id : body["disabled_gpus"]) {
      if (!id.is_number_integer()) return "disabled_gpus: expected an array of GPU ids";
      bool known = false;
      for (const GpuInfo& g : snap.gpus) known = known || g.index == id.get<int64_t>();
      if (!known) return "disabled_gpus: no GPU " + id.dump();
    }
  }
  return std::nullopt;
}

Result<std::string> apply_settings(EngineApi& engine, const json& body, const EngineSnapshot& snap) {
  std::string said;
  auto add = [&](const Result<std::string>& r) -> bool {
    if (!r.ok()) return false;
    said += (said.empty() ? "" : "; ") + *r;
    return true;
  };
  if (body.contains("order")) {
    Result<std::string> r = engine.set_order(body["order"].get<std::string>());
    if (!add(r)) return Error{"order: " + r.error().message, r.error().kind};
  }
  if (body.contains("max_running") && !add(engine.set_max(body["max_running"].get<int64_t>())))
    return internal_error("max_running could not be changed");
  if (body.contains("min_mem_mib") && !add(engine.set_min_mem(body["min_mem_mib"].get<int64_t>())))
    return internal_error("min_mem_mib could not be changed");
  // After min_mem_mib: that number is then what an auto task asks before it is measured.
  if (body.contains("min_mem_auto")) {
    const bool on = body["min_mem_auto"].get<bool>();
    const int64_t mib = body.value("min_mem_mib", snap.settings.default_min_mem_mib);
    if (on != snap.settings.min_mem_auto || body.contains("min_mem_mib"))
      if (!add(on ? engine.set_min_mem_auto() : engine.set_min_mem(mib)))
        return internal_error("min_mem_auto could not be changed");
  }
  if (body.contains("disabled_gpus")) {
    std::set<int> wanted;
    for (const json& id : body["disabled_gpus"]) wanted.insert(id.get<int>());
    for (const GpuInfo& g : snap.gpus)
      if (wanted.count(g.index) != snap.settings.disabled_gpus.count(g.index))
        (void)add(engine.toggle_gpu(g.index));
  }
  if (body.contains("dispatching")) {
    Result<std::string> r = engine.set_dispatching(body["dispatching"].get<bool>());
    if (!add(r)) return r;
  }
  return said;
}

void add_status_routes(httplib::Server& server, RouteContext& c) {
  server.Get("/api/v1/status", [&c](const Request&, Response& res) {
    reply_json(res, status_json(c, *c.engine.snapshot()));
  });
  server.Get("/api/v1/settings", [&c](const Request&, Response& res) {
    reply_json(res, settings_json(*c.engine.snapshot()));
  });
  auto change = [&c](const Request& req, Response& res) {
    auto body = json_body(req, res);
    if (!body) return;
    auto snap = c.engine.snapshot();
    if (auto problem = settings_problem(*body, *snap)) return reply_error(res, 400, *problem);
    Result<std::string> said = apply_settings(c.engine, *body, *snap);
    if (!said.ok()) return reply_error(res, said.error());
    json out = settings_json(*c.engine.snapshot());
    out["message"] = *said;
    reply_json(res, out);
  };
  server.Patch("/api/v1/settings", change);
  server.Post("/api/v1/settings", change);
  server.Post("/api/v1/reload", [&c](const Request&, Response& res) {
    reply_answer(res, c.engine.reload_table());
  });
}

// A process's command line, for the GPUs page ("" when /proc does not tell: gone, or hidden).
std::string command_line(int64_t pid) {
  constexpr size_t kMaxChars = 300;
  std::string out;
  for (const std::string& arg : proc::cmdline(static_cast<pid_t>(pid))) {
    if (arg.empty()) continue;
    if (!out.empty()) out += ' ';
    out += arg;
    if (out.size() > kMaxChars) {
      out.resize(kMaxChars);
      out += "…";
      break;
    }
  }
  return out;
}

// Each GPU process with its command line and, for FlowLine's, the run it belongs to (a
// run's processes share the session its supervisor leads).
void add_process_details(nlohmann::ordered_json& out, const std::vector<GpuInfo>& gpus,
                         const EngineSnapshot& snap) {
  for (const GpuInfo& g : gpus) {
    auto key = std::to_string(g.index);
    if (!g.processes || !out.contains(key)) continue;
    auto& listed = out[key]["processes"];
    for (size_t i = 0; i < g.processes->size() && i < listed.size(); ++i) {
      const GpuProcess& p = (*g.processes)[i];
      const std::string command = command_line(p.pid);
      listed[i]["command"] =
          command.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(command);
      listed[i]["run_id"] = nullptr;
      listed[i]["task_id"] = nullptr;
      listed[i]["task_name"] = nullptr;
      if (!p.session) continue;
      for (const RunView& run : snap.runs) {
        if (run.place.session_id <= 0 || run.place.session_id != *p.session) continue;
        listed[i]["run_id"] = run.run_id;
        listed[i]["task_id"] = run.task_id;
        listed[i]["task_name"] = run.task_name;
      }
    }
  }
}

void add_gpu_routes(httplib::Server& server, RouteContext& c) {
  server.Get("/api/v1/gpus", [&c](const Request&, Response& res) {
    auto snap = c.engine.snapshot();
    std::vector<GpuInfo> gpus = snap->gpus;
    for (GpuInfo& g : gpus) g.simulated = g.simulated || snap->simulated;
    nlohmann::ordered_json out = gpus_to_json(gpus, snap->settings.disabled_gpus);
    add_process_details(out, gpus, *snap);
    reply_ordered_json(res, out);
  });
  // The last `seconds` (default 600) of samples per GPU, oldest first, as columns (compact
  // for charts): {"0": {"time_ms": [...], "free": [...], "used": [...], "util": [...],
  // "temp": [...], "power": [...]}}; unknown values are null.
  server.Get("/api/v1/gpus/history", [&c](const Request& req, Response& res) {
    auto seconds = number_param(req, res, "seconds", 600, 1, 24 * 3600);
    if (!seconds) return;
    json out = json::object();
    if (!c.sampler) return reply_json(res, out);
    const Millis since = now_ms() - *seconds * 1000;
    const auto snap = c.engine.snapshot();  // held: the engine may free it mid-loop otherwise
    for (const GpuInfo& g : snap->gpus) {
      json t = json::array(), fr = json::array(), us = json::array(), ut = json::array(),
           te = json::array(), po = json::array();
      auto put = [](json& column, auto value) {
        column.push_back(value ? json(*value) : json(nullptr));
      };
      for (const HistoryPoint& p : c.sampler->history(g.index)) {
        if (p.time_ms < since) continue;
        t.push_back(p.time_ms);
        put(fr, p.free());
        put(us, p.used());
        put(ut, p.util());
        put(te, p.temp());
        put(po, p.power());
      }
      out[std::to_string(g.index)] = {{"time_ms", t}, {"free", fr},  {"used", us},
                                      {"util", ut},   {"temp", te}, {"power", po}};
    }
    reply_json(res, out);
  });
  server.Post(R"(/api/v1/gpus/([^/]+)/toggle)", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "GPU");
    if (id) reply_answer(res, c.engine.toggle_gpu(static_cast<int>(*id)));
  });
  server.Post(R"(/api/v1/gpus/([^/]+)/kill)", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "GPU");
    if (id) reply_answer(res, c.engine.kill_gpu(static_cast<int>(*id)));
  });
}

// A run as the store has it, with the live part (command, session) while it runs.
json run_json(const StoredRun& run, const EngineSnapshot& snap) {
  json out = views::stored_run(run);
  out["running"] = false;
  // Its task's name while the task is in the table.
  if (const std::optional<TaskView> task = snap.tasks.find(run.task_id))
    out["name"] = task->task->name;
  for (const RunView& live : snap.runs) {
    if (live.run_id != run.run_id) continue;
    out["running"] = true;
    out["command"] = live.command;
    out["name"] = live.task_name;
    if (!live.place.job_id.empty()) {  // a Slurm job (--executor slurm)
      out["job_id"] = live.place.job_id;
      out["job_state"] = live.place.state;
      out["node"] = live.place.node;
      out["reason"] = live.place.reason;
    }
  }
  return out;
}

void add_run_routes(httplib::Server& server, RouteContext& c) {
  server.Get("/api/v1/runs", [&c](const Request& req, Response& res) {
    auto offset = number_param(req, res, "offset", 0, 0, INT64_MAX);
    auto limit = offset ? number_param(req, res, "limit", 100, 1, 1000) : std::nullopt;
    auto task = limit ? number_param(req, res, "task", -1, -1, INT64_MAX) : std::nullopt;
    if (!task) return;
    if (!c.history) return reply_error(res, 503, "the run history cannot be read");
    Result<RunPage> page = c.history->page(*offset, *limit,
                                           *task >= 0 ? std::optional<int64_t>(*task) : std::nullopt);
    if (!page.ok()) return reply_error(res, 500, page.error().message);
    auto snap = c.engine.snapshot();
    json runs = json::array();
    for (const StoredRun& r : page->runs) runs.push_back(run_json(r, *snap));
    reply_json(res, {{"total", page->total}, {"offset", *offset}, {"limit", *limit},
                     {"runs", runs}});
  });
  server.Get(R"(/api/v1/runs/([^/]+))", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "run");
    if (!id) return;
    if (!c.history) return reply_error(res, 503, "the run history cannot be read");
    auto run = c.history->run(*id);
    if (!run.ok()) return reply_error(res, 500, run.error().message);
    if (!*run) return reply_error(res, 404, "no run " + std::to_string(*id));
    reply_json(res, run_json(**run, *c.engine.snapshot()));
  });
  // A run's GPU memory over time: while it runs from the engine, after from the store.
  server.Get(R"(/api/v1/runs/([^/]+)/memory)", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "run");
    if (!id) return;
    auto snap = c.engine.snapshot();
    for (const RunView& live : snap->runs)
      if (live.run_id == *id)
        return reply_json(res, views::memory_series(*id, live.peak_mem_mib, live.mem_series));
    if (!c.history) return reply_error(res, 503, "the run history cannot be read");
    auto run = c.history->run(*id);
    if (!run.ok()) return reply_error(res, 500, run.error().message);
    if (!*run) return reply_error(res, 404, "no run " + std::to_string(*id));
    reply_json(res, views::memory_series(*id, (*run)->peak_mem_mib, decode_series((*run)->mem_series)));
  });
  // A run's output from a byte offset, for following it live: ask again from next_offset.
  // The path comes from the store, never from the request.
  server.Get(R"(/api/v1/runs/([^/]+)/log)", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "run");
    if (!id) return;
    const std::string stream = req.has_param("stream") ? req.get_param_value("stream") : "out";
    if (stream != "out" && stream != "err")
      return reply_error(res, 400, "query parameter stream: expected out or err, got '" + stream + "'");
    auto offset = number_param(req, res, "offset", 0, 0, INT64_MAX);
    auto limit = offset ? number_param(req, res, "limit", 65536, 1, 4 << 20) : std::nullopt;
    if (!limit) return;
    if (!c.history) return reply_error(res, 503, "the run history cannot be read");
    auto run = c.history->run(*id);
    if (!run.ok()) return reply_error(res, 500, run.error().message);
    if (!*run) return reply_error(res, 404, "no run " + std::to_string(*id));
    const std::string& path = stream == "out" ? (*run)->out_path : (*run)->err_path;
    auto slice = path.empty() ? std::nullopt : read_slice(path, *offset, *limit);
    if (!slice)
      return reply_error(res, 404, "run " + std::to_string(*id) + " has no std" + stream +
                                       " file (it never started, or the file was removed)");
    const bool running = run_json(**run, *c.engine.snapshot())["running"].get<bool>();
    reply_json(res, {{"run_id", *id},
                     {"stream", stream},
                     {"offset", *offset},
                     {"next_offset", *offset + static_cast<int64_t>(slice->data.size())},
                     {"size", slice->size},
                     {"running", running},
                     {"data", slice->data}});
  });
  server.Post(R"(/api/v1/runs/([^/]+)/kill)", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "run");
    if (id) reply_answer(res, c.engine.kill_run(*id));
  });
}

// "simulated NVML /path/libnvidia-ml.so, driver 550.54, 2 GPU(s)" -> "550.54".
std::optional<std::string> driver_version(const std::string& described) {
  const std::string mark = ", driver ";
  size_t at = described.find(mark);
  if (at == std::string::npos) return std::nullopt;
  std::string version = described.substr(at + mark.size());
  version = version.substr(0, version.find(','));
  if (version.empty() || version == "unknown") return std::nullopt;
  return version;
}

void add_about_routes(httplib::Server& server, RouteContext& c) {
  server.Get("/api/v1/about", [&c](const Request&, Response& res) {
    auto snap = c.engine.snapshot();
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = 0;
    const Millis now = now_ms();
    json out = {{"version", c.version},
                {"host", host[0] ? json(host) : json(nullptr)},
                {"system", system_info()},
                {"pid", getpid()},
                {"started_ms", snap->started_ms},
                {"uptime_s", (now > snap->started_ms ? now - snap->started_ms : 0) / 1000},
                {"table", c.table_path},
                {"state_dir", c.state_dir},
                {"log_dir", c.log_dir},
                {"simulated", snap->simulated},
                {"gpus", snap->gpus.size()},
                {"gpu_source", nullptr},
                {"driver", nullptr}};
    if (c.sampler) {
      const std::string described = c.sampler->describe();
      out["gpu_source"] = described;
      if (auto version = driver_version(described)) out["driver"] = *version;
    }
    reply_json(res, out);
  });
  // Like `flowline token --rotate`: the old token stops working at once, everywhere; this
  // browser gets the new one as its cookie, so the page goes on working.
  server.Post("/api/v1/token/rotate", [&c](const Request&, Response& res) {
    Result<std::string> token = rotate_token(c.state_dir);
    if (!token.ok()) return reply_error(res, token.error());
    res.set_header("Set-Cookie", token_cookie(*token));
    reply_json(res, {{"ok", true},
                     {"message", "access token replaced: the old one no longer works; this "
                                 "browser has the new one, and `flowline token` prints it for "
                                 "scripts and other browsers"}});
  });
}

}  // namespace

void add_v1_tasks_routes(httplib::Server& server, RouteContext& context);

void add_v1_routes(httplib::Server& server, RouteContext& context) {
  add_status_routes(server, context);
  add_gpu_routes(server, context);
  add_run_routes(server, context);
  add_about_routes(server, context);
  add_v1_tasks_routes(server, context);
}

}  // namespace flowline::http

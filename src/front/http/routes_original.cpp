// The Python original's routes, paths and JSON shapes kept (its API document:
// github.com/dramwig/FlowLine),
// so that a script written for it keeps working. Unlike the original, errors come with a
// 4xx/5xx status, and everything needs the access token (request_guard.hpp).
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>

#include "front/http/http_reply.hpp"
#include "front/http/log_files.hpp"
#include "front/http/route_context.hpp"
#include "front/json/gpu_json.hpp"

namespace flowline::http {
namespace {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

// The original's task states: PENDING, RUNNING, COMPLETED, FAILED (and its pages' STOPPED).
const char* original_status(TaskState state) {
  switch (state) {
    case TaskState::kRunning: return "RUNNING";
    case TaskState::kDone: return "COMPLETED";
    case TaskState::kFailed:
    case TaskState::kInfeasible: return "FAILED";
    case TaskState::kDropped: return "STOPPED";
    default: return "PENDING";
  }
}

// The parameters as Python's repr of a dict of strings: {'lr': '0.1', 'bs': '32'}.
std::string python_dict(const TaskParams& params) {
  auto quoted = [](std::string_view s) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    return out + "'";
  };
  std::string out = "{";
  for (auto [name, value] : params) {
    if (out.size() > 1) out += ", ";
    out += quoted(name) + ": " + quoted(value);
  }
  return out + "}";
}

json original_task(const TaskView& t) {
  return {{"task_id", t.task->id},
          {"name", t.task->name},
          {"cmd", t.task->cmd},
          {"run_num", t.task->run_num},
          {"need_run_num", t.task->need_run_num},
          {"status", original_status(t.state)},
          {"dict", python_dict(t.task->params)}};
}

json original_process(const RunView& run) {
  return {{"process_id", run.run_id},
          {"pid", run.place.session_id > 0 ? json(run.place.session_id) : json(nullptr)},
          {"task_id", run.task_id},
          {"gpu_id", run.gpus.empty() ? json(nullptr) : json(run.gpus.front())},
          {"gpus", run.gpus},
          {"start_time", local_time_text(run.started_ms)},
          {"status", "RUNNING"},
          {"cmd", run.command}};
}

json processes(const EngineSnapshot& snap, std::optional<int> on_gpu) {
  json out = json::object();
  for (const RunView& run : snap.runs) {
    if (on_gpu && std::find(run.gpus.begin(), run.gpus.end(), *on_gpu) == run.gpus.end()) continue;
    out[std::to_string(run.run_id)] = original_process(run);
  }
  return out;
}

bool has_gpu(const EngineSnapshot& snap, int64_t id) {
  for (const GpuInfo& g : snap.gpus)
    if (g.index == id) return true;
  return false;
}

// {"name": "x", "cmd": "...", "need_run_num": 3, "lr": 0.1} -> cells; numbers as the user
// would type them, nested values refused.
std::optional<NewRowCells> cells_of(const json& body, Response& res, const char* skip = nullptr) {
  NewRowCells cells;
  for (const auto& [key, value] : body.items()) {
    if (skip && key == skip) continue;
    if (value.is_string()) cells.emplace_back(key, value.get<std::string>());
    else if (value.is_number() || value.is_boolean()) cells.emplace_back(key, value.dump());
    else if (value.is_null()) cells.emplace_back(key, "");
    else {
      reply_error(res, 400, "field '" + key + "': expected a string or a number, got " +
                                std::string(value.type_name()));
      return std::nullopt;
    }
  }
  return cells;
}

void add_gpu_routes(httplib::Server& server, RouteContext& c) {
  server.Get("/api/gpus", [&c](const Request&, Response& res) {
    auto snap = c.engine.snapshot();
    std::vector<GpuInfo> gpus = snap->gpus;
    for (GpuInfo& g : gpus) g.simulated = g.simulated || snap->simulated;
    reply_ordered_json(res, gpus_to_json(gpus, snap->settings.disabled_gpus));
  });
  server.Get(R"(/api/gpu/([^/]+)/process)", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "GPU");
    if (!id) return;
    auto snap = c.engine.snapshot();
    if (!has_gpu(*snap, *id)) return reply_error(res, 404, "no GPU " + std::to_string(*id));
    reply_json(res, processes(*snap, static_cast<int>(*id)));
  });
  server.Post(R"(/api/gpu/([^/]+)/switch)", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "GPU");
    if (!id) return;
    Result<std::string> answer = c.engine.toggle_gpu(static_cast<int>(*id));
    if (!answer.ok()) return reply_error(res, answer.error());
    const bool on = !c.engine.snapshot()->settings.disabled_gpus.count(static_cast<int>(*id));
    reply_json(res, {{"gpu_id", std::to_string(*id)}, {"success", true}, {"is_on", on}});
  });
}

void add_process_routes(httplib::Server& server, RouteContext& c) {
  server.Get("/api/process", [&c](const Request&, Response& res) {
    reply_json(res, processes(*c.engine.snapshot(), std::nullopt));
  });
  server.Post(R"(/api/process/([^/]+)/kill)", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "process");
    if (!id) return;
    Result<std::string> answer = c.engine.kill_run(*id);
    if (!answer.ok()) return reply_error(res, answer.error());
    reply_json(res, {{"success", true}, {"message", *answer}});
  });
  server.Post("/api/run", [&c](const Request&, Response& res) {
    const bool on = !c.engine.snapshot()->settings.dispatching;
    Result<std::string> answer = c.engine.set_dispatching(on);
    if (!answer.ok()) return reply_error(res, answer.error());
    reply_json(res, {{"if_run", on}, {"message", *answer}});
  });
}

void add_task_routes(httplib::Server& server, RouteContext& c) {
  server.Get("/api/task/list", [&c](const Request&, Response& res) {
    auto snap = c.engine.snapshot();
    json out = json::array();
    for (const TaskView& t : snap->tasks) out.push_back(original_task(t));
    reply_json(res, out);
  });
  server.Get(R"(/api/task/([^/]+))", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "task");
    if (!id) return;
    auto snap = c.engine.snapshot();
    const std::optional<TaskView> t = snap->tasks.find(*id);
    if (!t) return reply_error(res, 404, "no task " + std::to_string(*id));
    reply_json(res, original_task(*t));
  });
  server.Delete(R"(/api/task/([^/]+))", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "task");
    if (!id) return;
    Result<std::string> answer = c.engine.drop_task(*id);
    if (!answer.ok()) return reply_error(res, answer.error());
    reply_json(res, {{"success", true}, {"message", *answer}});
  });
  // The row is appended to the table file, which stays the one source of tasks.
  server.Post("/api/task/create", [&c](const Request& req, Response& res) {
    auto body = json_body(req, res);
    if (!body) return;
    auto cells = cells_of(*body, res);
    if (!cells) return;
    Result<std::string> answer = c.engine.add_task(*cells);
    if (!answer.ok())
      return reply_json(res, {{"success", false}, {"error", answer.error().message}},
                        status_of(answer.error().kind));
    reply_json(res, {{"success", true}, {"message", *answer}});
  });
  // {"task_id": 3, "lr": "0.2"}: a copy of task 3 with lr changed, appended to the table.
  server.Post("/api/task/copy", [&c](const Request& req, Response& res) {
    auto body = json_body(req, res);
    if (!body) return;
    const json& id = (*body)["task_id"];
    if (!id.is_number_integer() && !(id.is_string() && !id.get<std::string>().empty()))
      return reply_error(res, 400, "field 'task_id': expected the id of the task to copy");
    auto task_id = path_number(id.is_string() ? id.get<std::string>() : id.dump(), res, "task");
    if (!task_id) return;
    auto changes = cells_of(*body, res, "task_id");
    if (!changes) return;
    Result<std::string> answer = c.engine.copy_task(*task_id, *changes);
    if (!answer.ok())
      return reply_json(res, {{"success", false}, {"error", answer.error().message}},
                        status_of(answer.error().kind));
    reply_json(res, {{"success", true}, {"message", *answer}});
  });
}

// "[2025-07-30 14:15:58] [INFO] - message", or the whole line as the message.
json parsed_log_line(const std::string& line) {
  if (line.size() > 4 && line[0] == '[') {
    size_t time_end = line.find("] [");
    size_t level_end = time_end == std::string::npos ? time_end : line.find("] - ", time_end + 3);
    if (level_end != std::string::npos)
      return {{"timestamp", line.substr(1, time_end - 1)},
              {"level", line.substr(time_end + 3, level_end - time_end - 3)},
              {"message", line.substr(level_end + 4)}};
  }
  return {{"timestamp", ""}, {"level", ""}, {"message", line}};
}

void add_original_log_routes(httplib::Server& server, RouteContext& c) {
  server.Get("/api/log/list", [&c](const Request&, Response& res) {
    json files = json::array();
    for (const LogFile& f : list_log_files(c.log_dir, c.state_dir))
      files.push_back({{"name", f.name},
                       {"fullPath", f.path},
                       {"size", human_size(f.size)},
                       {"lastModified", local_time_text(f.modified_ms)}});
    reply_json(res, {{"files", files}});
  });
  server.Get(R"(/api/log/(.+))", [&c](const Request& req, Response& res) {
    auto max_lines = number_param(req, res, "maxLines", 100, 1, 100'000);
    if (!max_lines) return;
    const std::string name = req.matches[1];
    auto file = find_log_file(name, c.log_dir, c.state_dir);
    if (!file)
      return reply_error(res, 404, "no log file '" + name + "' (GET /api/log/list lists them)");
    json lines = json::array();
    for (const std::string& line : last_lines(file->path, static_cast<size_t>(*max_lines), 16 << 20))
      lines.push_back(parsed_log_line(line));
    reply_json(res, {{"lines", lines}});
  });
}

void add_system_routes(httplib::Server& server, RouteContext& c) {
  server.Get("/api/system/info", [](const Request&, Response& res) {
    res.set_content(system_info(), "text/plain; charset=utf-8");
  });
  server.Get("/api/system/uptime", [&c](const Request&, Response& res) {
    const Millis now = now_ms();
    const Millis started = c.engine.snapshot()->started_ms;
    int64_t s = (now > started ? now - started : 0) / 1000;
    reply_json(res, {{"days", s / 86400},
                     {"hours", s / 3600 % 24},
                     {"minutes", s / 60 % 60},
                     {"seconds", s % 60}});
  });
}

}  // namespace

// "Linux 6.1.0-18-amd64, CPU: 16 cores, Memory: 62.5 GB".
std::string system_info() {
  utsname u{};
  uname(&u);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  double mem_gb = 0;
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  long long kb = 0;
  while (meminfo >> key >> kb) {
    if (key == "MemTotal:") {
      mem_gb = static_cast<double>(kb) / 1024 / 1024;
      break;
    }
    meminfo.ignore(1 << 10, '\n');
  }
  char buf[512];
  std::snprintf(buf, sizeof buf, "%s %s, CPU: %ld cores, Memory: %.1f GB", u.sysname, u.release,
                cores, mem_gb);
  return buf;
}

Millis now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string local_time_text(Millis epoch_ms) {
  std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

void add_original_routes(httplib::Server& server, RouteContext& context) {
  add_gpu_routes(server, context);
  add_process_routes(server, context);
  add_task_routes(server, context);
  add_original_log_routes(server, context);
  add_system_routes(server, context);
}

}  // namespace flowline::http

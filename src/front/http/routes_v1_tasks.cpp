// /api/v1/tasks: pages of the task list (filtered by state, searched in any column), each
// task with every run, and the task actions (drop, retry, copy, priority, add). A page is
// built from the snapshot without copying the list: only the page's tasks become JSON.
#include <algorithm>
#include <cctype>
#include <set>

#include "front/http/http_reply.hpp"
#include "front/http/route_context.hpp"
#include "front/json/engine_json.hpp"

namespace flowline::http {
namespace {

using httplib::Request;
using httplib::Response;
namespace views = ::flowline::json;
using nlohmann::json;

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

bool contains(const std::string& haystack, const std::string& needle_lower) {
  return lower(haystack).find(needle_lower) != std::string::npos;
}

bool matches(const TaskView& t, const std::string& needle_lower) {
  if (needle_lower.empty()) return true;
  if (contains(t.task->name, needle_lower) || contains(t.task->cmd, needle_lower)) return true;
  for (auto [name, value] : t.task->params)
    if (contains(value, needle_lower)) return true;
  return false;
}

// "queued,running" -> the states; an unknown name is the request's fault.
std::optional<std::set<std::string>> state_filter(const Request& req, Response& res) {
  static const std::set<std::string> kStates = {"queued", "running", "backoff", "done",
                                                "failed", "dropped", "infeasible"};
  std::set<std::string> out;
  if (!req.has_param("state")) return out;
  const std::string text = req.get_param_value("state");
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string name = text.substr(start, comma == std::string::npos ? comma : comma - start);
    if (!kStates.count(name)) {
      reply_error(res, 400, "query parameter state: unknown state '" + name +
                                "' (known: queued, running, backoff, done, failed, dropped, "
                                "infeasible)");
      return std::nullopt;
    }
    out.insert(name);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// Each task's runs, from the store (ended ones) and the snapshot (what runs now).
void attach_runs(RouteContext& c, const EngineSnapshot& snap, json& tasks,
                 const std::vector<int64_t>& ids) {
  std::map<int64_t, json> runs_of;
  for (int64_t id : ids) runs_of[id] = json::array();
  if (c.history) {
    if (auto runs = c.history->runs_of(ids); runs.ok())
      for (const StoredRun& r : *runs) runs_of[r.task_id].push_back(views::stored_run(r));
  }
  for (json& t : tasks) t["runs"] = std::move(runs_of[t["id"].get<int64_t>()]);
  (void)snap;
}

const TaskView* find_task(const EngineSnapshot& snap, int64_t id) {
  for (const TaskView& t : snap.tasks)
    if (t.task->id == id) return &t;
  return nullptr;
}

std::optional<NewRowCells> cells_of(const json& body, Response& res) {
  NewRowCells cells;
  for (const auto& [key, value] : body.items()) {
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

// The page is moved in: a braced initializer list would copy every task's JSON once more.
void reply_page(Response& res, int64_t total, int64_t offset, int64_t limit, json page) {
  json out = {{"total", total}, {"offset", offset}, {"limit", limit}};
  out["tasks"] = std::move(page);
  reply_json(res, out);
}

void list_tasks(RouteContext& c, const Request& req, Response& res) {
  auto offset = number_param(req, res, "offset", 0, 0, INT64_MAX);
  auto limit = offset ? number_param(req, res, "limit", 100, 1, 1000) : std::nullopt;
  auto states = limit ? state_filter(req, res) : std::nullopt;
  if (!states) return;
  const bool with_runs = !req.has_param("runs") || req.get_param_value("runs") != "0";
  const std::string needle = lower(req.has_param("q") ? req.get_param_value("q") : "");
  auto snap = c.engine.snapshot();
  int64_t total = 0;
  json page = json::array();
  std::vector<int64_t> ids;
  if (states->empty() && needle.empty()) {  // no filter: the page is a slice, read alone
    const auto n = static_cast<int64_t>(snap->tasks.size());
    for (int64_t i = *offset; i < std::min(n, *offset + *limit); ++i) {
      page.push_back(views::task(snap->tasks[static_cast<size_t>(i)]));
      ids.push_back(snap->tasks[static_cast<size_t>(i)].task->id);
    }
    if (with_runs) attach_runs(c, *snap, page, ids);
    return reply_page(res, n, *offset, *limit, std::move(page));
  }
  for (const TaskView& t : snap->tasks) {
    if (!states->empty() && !states->count(std::string(task_state_name(t.state)))) continue;
    if (!matches(t, needle)) continue;
    if (total >= *offset && total < *offset + *limit) {
      page.push_back(views::task(t));
      ids.push_back(t.task->id);
    }
    ++total;
  }
  if (with_runs) attach_runs(c, *snap, page, ids);
  reply_page(res, total, *offset, *limit, std::move(page));
}

void add_actions(httplib::Server& server, RouteContext& c) {
  server.Post(R"(/api/v1/tasks/([^/]+)/drop)", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "task");
    if (id) reply_answer(res, c.engine.drop_task(*id));
  });
  server.Post(R"(/api/v1/tasks/([^/]+)/retry)", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "task");
    if (id) reply_answer(res, c.engine.retry_task(*id));
  });
  server.Post(R"(/api/v1/tasks/([^/]+)/copy)", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "task");
    if (!id) return;
    auto body = req.body.empty() ? std::optional<json>(json::object()) : json_body(req, res);
    if (!body) return;
    auto changes = cells_of(*body, res);
    if (changes) reply_answer(res, c.engine.copy_task(*id, *changes));
  });
  server.Post(R"(/api/v1/tasks/([^/]+)/priority)", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "task");
    if (!id) return;
    auto body = json_body(req, res);
    if (!body) return;
    if (!(*body)["priority"].is_number_integer())
      return reply_error(res, 400, "field 'priority': expected a whole number (higher runs first)");
    reply_answer(res, c.engine.set_priority(*id, (*body)["priority"].get<int64_t>()));
  });
  server.Post("/api/v1/tasks", [&c](const Request& req, Response& res) {
    auto body = json_body(req, res);
    if (!body) return;
    auto cells = cells_of(*body, res);
    if (cells) reply_answer(res, c.engine.add_task(*cells));
  });
}

}  // namespace

void add_v1_tasks_routes(httplib::Server& server, RouteContext& c) {
  server.Get("/api/v1/tasks", [&c](const Request& req, Response& res) { list_tasks(c, req, res); });
  server.Get(R"(/api/v1/tasks/([^/]+))", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "task");
    if (!id) return;
    auto snap = c.engine.snapshot();
    const TaskView* t = find_task(*snap, *id);
    if (!t) return reply_error(res, 404, "no task " + std::to_string(*id));
    json one = json::array({views::task(*t)});
    attach_runs(c, *snap, one, {*id});
    reply_json(res, one[0]);
  });
  add_actions(server, c);
}

}  // namespace flowline::http

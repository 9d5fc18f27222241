// /api/v1/tasks: pages of the task list (filtered by state, searched in any column, sorted by
// any column), each task with every run, and the task actions (drop, retry, copy, priority,
// add). A page is built from the snapshot without copying the list: the matching tasks are
// indices into it, and only the page's tasks become JSON.
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <functional>
#include <set>
#include <string_view>

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

// Case-insensitive search without copying the haystack (a search over 100,000 rows).
bool contains(std::string_view haystack, const std::string& needle_lower) {
  auto it = std::search(haystack.begin(), haystack.end(), needle_lower.begin(), needle_lower.end(),
                        [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) == b;
                        });
  return it != haystack.end() || needle_lower.empty();
}

bool matches(const Task& t, const std::string& needle_lower) {
  if (needle_lower.empty()) return true;
  if (contains(t.name, needle_lower) || contains(t.cmd, needle_lower)) return true;
  for (auto [name, value] : t.params)
    if (contains(value, needle_lower)) return true;
  return false;
}

// What a column of the grid sorts by: a number, or text; blank cells sort after both.
struct SortKey {
  int kind = 0;  // 0 number, 1 text, 2 blank
  double number = 0;
  std::string_view text;
  // The owner of `text` when only the view made for the key held it (a backoff's reason).
  Shared<WaitReason> keep;
};

SortKey number_key(double v) { return {0, v, {}, {}}; }
SortKey text_key(std::string_view text) {
  if (text.empty()) return {2, 0, {}, {}};
  double v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec == std::errc() && ptr == end) return {0, v, {}, {}};
  return {1, 0, text, {}};
}

bool key_less(const SortKey& a, const SortKey& b) {
  if (a.kind != b.kind) return a.kind < b.kind;
  if (a.kind == 0) return a.number < b.number;
  return a.text < b.text;
}

// The sort key of `column` for the i-th task; the reserved columns and the task's own fields
// by name, any other name a parameter column (nullopt when the table has none by that name).
// The task's fields are read without making its view: a sort keys every task. The task's text
// lives as long as the snapshot.
using KeyOf = std::function<SortKey(const TaskViews&, size_t)>;
std::optional<KeyOf> key_of(const std::string& column, const EngineSnapshot& snap) {
  auto num = [](auto field) -> KeyOf {
    return [field](const TaskViews& v, size_t i) {
      return number_key(static_cast<double>(field(v.task(i))));
    };
  };
  auto optional_num = [](auto field) -> KeyOf {
    return [field](const TaskViews& v, size_t i) {
      const auto value = field(v.task(i));
      return value ? number_key(static_cast<double>(*value)) : SortKey{2, 0, {}, {}};
    };
  };
  auto text = [](auto field) -> KeyOf {
    return [field](const TaskViews& v, size_t i) { return text_key(field(v.task(i))); };
  };
  if (column == "id") return num([](const Task& t) { return t.id; });
  if (column == "row") return num([](const Task& t) { return t.row; });
  if (column == "run_num") return num([](const Task& t) { return t.run_num; });
  if (column == "need_run_num") return num([](const Task& t) { return t.need_run_num; });
  if (column == "priority") return num([](const Task& t) { return t.priority; });
  if (column == "gpus") return num([](const Task& t) { return t.gpus; });
  if (column == "live_runs")
    return KeyOf([](const TaskViews& v, size_t i) { return number_key(double(v[i].live_runs)); });
  if (column == "failures")
    return KeyOf([](const TaskViews& v, size_t i) { return number_key(double(v[i].failures)); });
  if (column == "min_mem") return optional_num([](const Task& t) { return t.min_mem; });
  if (column == "timeout") return optional_num([](const Task& t) { return t.timeout_ms; });
  if (column == "state")  // in the order a task lives through them
    return KeyOf([](const TaskViews& v, size_t i) { return number_key(int(v.state(i))); });
  if (column == "name") return text([](const Task& t) -> const std::string& { return t.name; });
  if (column == "cmd") return text([](const Task& t) -> const std::string& { return t.cmd; });
  if (column == "waiting_for")
    return KeyOf([](const TaskViews& v, size_t i) {
      const TaskView t = v[i];
      SortKey key = text_key(t.waiting_for());
      key.keep = t.wait;
      return key;
    });
  if (column == "last_error")  // held by the task's record, which the snapshot holds
    return KeyOf([](const TaskViews& v, size_t i) { return text_key(v[i].last_error.get()); });
  bool known = false;
  for (size_t i = 0; i < snap.tasks.size() && !known; ++i)
    known = snap.tasks.task(i).params.find(column).has_value();
  if (!known) return std::nullopt;
  return KeyOf([column](const TaskViews& v, size_t i) {
    const std::optional<std::string_view> value = v.task(i).params.find(column);
    return value ? text_key(*value) : SortKey{2, 0, {}, {}};
  });
}

// The table's parameter columns, in the file's order (every task has every column).
json param_columns(const EngineSnapshot& snap) {
  json out = json::array();
  for (size_t i = 0; i < snap.tasks.size(); ++i) {
    const Task& t = snap.tasks.task(i);
    if (t.params.empty()) continue;
    for (auto [name, value] : t.params) out.push_back(name);
    break;
  }
  return out;
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

void list_tasks(RouteContext& c, const Request& req, Response& res) {
  auto offset = number_param(req, res, "offset", 0, 0, INT64_MAX);
  auto limit = offset ? number_param(req, res, "limit", 100, 1, 1000) : std::nullopt;
  auto states = limit ? state_filter(req, res) : std::nullopt;
  if (!states) return;
  auto flag = [&req](const char* name, bool fallback) {
    if (!req.has_param(name)) return fallback;
    const std::string v = req.get_param_value(name);
    return !(v == "0" || v == "false" || v == "no");
  };
  const bool with_runs = flag("runs", true);
  const bool desc = flag("desc", false);
  const bool with_ids = flag("ids", false);
  const std::string needle = lower(req.has_param("q") ? req.get_param_value("q") : "");
  const std::string sort = req.has_param("sort") ? req.get_param_value("sort") : "";
  auto snap = c.engine.snapshot();
  std::optional<KeyOf> key;
  if (!sort.empty()) {
    key = key_of(sort, *snap);
    if (!key) {
      std::string known = "id, name, state, run_num, need_run_num, priority, gpus, min_mem, "
                          "timeout, cmd, row, live_runs, failures, waiting_for, last_error";
      for (const json& col : param_columns(*snap)) known += ", " + col.get<std::string>();
      return reply_error(res, 400, "query parameter sort: no column '" + sort + "' (known: " +
                                       known + ")");
    }
  }
  // Every task that matches the search, counted by state (the filter's chips), and those
  // that pass the state filter too, in table order.
  std::array<int64_t, static_cast<size_t>(TaskState::kInfeasible) + 1> counts{};
  std::array<bool, counts.size()> wanted{};
  for (size_t s = 0; s < wanted.size(); ++s)
    wanted[s] = states->empty() || states->count(std::string(task_state_name(static_cast<TaskState>(s))));
  std::vector<uint32_t> chosen;
  chosen.reserve(snap->tasks.size());
  for (size_t i = 0; i < snap->tasks.size(); ++i) {
    if (!matches(snap->tasks.task(i), needle)) continue;
    const auto state = static_cast<size_t>(snap->tasks.state(i));
    ++counts[state];
    if (!wanted[state]) continue;
    chosen.push_back(static_cast<uint32_t>(i));
  }
  if (key) {
    std::vector<SortKey> keys(snap->tasks.size());
    for (uint32_t i : chosen) keys[i] = (*key)(snap->tasks, i);
    // Ties keep table order either way; blanks stay last either way.
    std::stable_sort(chosen.begin(), chosen.end(), [&](uint32_t a, uint32_t b) {
      const SortKey& ka = keys[a];
      const SortKey& kb = keys[b];
      if (desc && (ka.kind == 2) == (kb.kind == 2)) return key_less(kb, ka);
      return key_less(ka, kb);
    });
  } else if (desc) {
    std::reverse(chosen.begin(), chosen.end());
  }
  const auto total = static_cast<int64_t>(chosen.size());
  json page = json::array();
  std::vector<int64_t> ids;
  for (int64_t i = *offset; i < std::min(total, *offset + *limit); ++i) {
    const TaskView& t = snap->tasks[chosen[static_cast<size_t>(i)]];
    page.push_back(views::task(t, snap->taken_ms));
    ids.push_back(t.task->id);
  }
  if (with_runs) attach_runs(c, *snap, page, ids);
  json out = {{"total", total}, {"offset", *offset}, {"limit", *limit}};
  json by_state = json::object();
  for (size_t s = 0; s < counts.size(); ++s)
    by_state[std::string(task_state_name(static_cast<TaskState>(s)))] = counts[s];
  out["counts"] = std::move(by_state);
  out["columns"] = param_columns(*snap);
  out["sort"] = sort;
  out["desc"] = desc;
  if (with_ids) {
    json all = json::array();
    for (uint32_t i : chosen) all.push_back(snap->tasks.task(i).id);
    out["ids"] = std::move(all);
  }
  out["tasks"] = std::move(page);
  reply_json(res, out);
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

// routes_v1_logs.cpp: a run's whole output as a download, and a search in a task's runs.
void add_v1_log_routes(httplib::Server& server, RouteContext& context);

void add_v1_tasks_routes(httplib::Server& server, RouteContext& c) {
  server.Get("/api/v1/tasks", [&c](const Request& req, Response& res) { list_tasks(c, req, res); });
  server.Get(R"(/api/v1/tasks/([^/]+))", [&c](const Request& req, Response& res) {
    auto id = path_number(req.matches[1], res, "task");
    if (!id) return;
    auto snap = c.engine.snapshot();
    const std::optional<TaskView> t = snap->tasks.find(*id);
    if (!t) return reply_error(res, 404, "no task " + std::to_string(*id));
    json one = json::array({views::task(*t, snap->taken_ms)});
    attach_runs(c, *snap, one, {*id});
    reply_json(res, one[0]);
  });
  add_actions(server, c);
  add_v1_log_routes(server, c);
}

}  // namespace flowline::http

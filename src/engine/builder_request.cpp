#include "engine/builder_request.hpp"

#include <nlohmann/json.hpp>

#include "core/task_row.hpp"
#include "core/task_table.hpp"

namespace flowline {

std::string builder_request(const Task& task, const std::vector<std::string>& columns,
                            const std::vector<int>& gpus, int64_t run) {
  using Json = nlohmann::ordered_json;
  Json params = Json::object();
  for (const auto& [key, value] : task.params) params[key] = value;
  Json row = Json::object();
  for (auto& [key, value] : task_row(task, columns)) row[key] = std::move(value);
  Json timeout = nullptr;
  if (task.timeout_ms) {
    // Whole seconds stay integers (90, not 90.0), as in `flowline check --json`.
    if (*task.timeout_ms % 1000 == 0)
      timeout = *task.timeout_ms / 1000;
    else
      timeout = static_cast<double>(*task.timeout_ms) / 1000.0;
  }
  Json j;
  j["task_id"] = task.id;
  j["name"] = task.name;
  j["run_num"] = task.run_num;
  j["need_run_num"] = task.need_run_num;
  j["cmd"] = task.cmd;
  j["gpus"] = task.gpus;
  j["min_mem"] = task.min_mem        ? Json(*task.min_mem)
                 : task.min_mem_auto ? Json("auto")
                                     : Json(nullptr);
  j["priority"] = task.priority;
  j["timeout"] = std::move(timeout);
  j["params"] = std::move(params);
  j["row"] = std::move(row);
  j["gpu_ids"] = gpus;
  j["gpu"] = gpus.empty() ? Json(nullptr) : Json(gpus.front());
  j["run"] = run;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace flowline

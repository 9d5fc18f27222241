#pragma once
// The shell's listings (`ls`, `gpus`, `task`, `status`) as text tables; their JSON forms are
// the views every front end shares (front/json/engine_json.hpp).
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "engine/snapshot.hpp"
#include "front/shell/command_outcome.hpp"

namespace flowline::shell {

std::string runs_text(const EngineSnapshot& snap, const Presentation& how);

std::string gpus_text(const EngineSnapshot& snap, const Presentation& how);
// The one GPU table, also printed by `flowline gpus` (which has no engine).
std::string gpu_table_text(const std::vector<GpuInfo>& gpus, const std::set<int>& disabled,
                           bool simulated, const Presentation& how);
nlohmann::ordered_json gpus_json(const EngineSnapshot& snap);  // in index order

std::string tasks_text(const EngineSnapshot& snap, const Presentation& how);

std::string status_text(const EngineSnapshot& snap, const Presentation& how);

}  // namespace flowline::shell

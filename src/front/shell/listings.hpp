#pragma once
// The shell's listings (`ls`, `gpus`, `task`, `status`) as text tables and as JSON. The JSON
// keys are documented in `help <command>` and are a stable interface for scripts.
#include <nlohmann/json.hpp>
#include <string>

#include "engine/snapshot.hpp"
#include "front/shell/command_outcome.hpp"

namespace flowline::shell {

std::string runs_text(const EngineSnapshot& snap, const Presentation& how);
nlohmann::json runs_json(const EngineSnapshot& snap);

std::string gpus_text(const EngineSnapshot& snap, const Presentation& how);
nlohmann::ordered_json gpus_json(const EngineSnapshot& snap);  // in index order

std::string tasks_text(const EngineSnapshot& snap, const Presentation& how);
nlohmann::json tasks_json(const EngineSnapshot& snap);

std::string status_text(const EngineSnapshot& snap, const Presentation& how);
nlohmann::json status_json(const EngineSnapshot& snap);

}  // namespace flowline::shell

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
nlohmann::json gpus_json(const EngineSnapshot& snap);

std::string tasks_text(const EngineSnapshot& snap, const Presentation& how);
nlohmann::json tasks_json(const EngineSnapshot& snap);

std::string status_text(const EngineSnapshot& snap, const Presentation& how);
nlohmann::json status_json(const EngineSnapshot& snap);

// "available", "disabled" or "error": what `gpus` shows in its STATUS column.
std::string gpu_status(const EngineSnapshot& snap, const GpuInfo& gpu);

}  // namespace flowline::shell

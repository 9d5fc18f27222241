#pragma once
// Reading rows of the `runs` table, shared by the engine's store and the HTTP server's
// read-only view of the same database.
#include <string>
#include <vector>

#include "store/sqlite_db.hpp"
#include "store/stored_types.hpp"

namespace flowline {

inline constexpr const char* kRunColumns =
    "run_id, task_id, attempt, state, start_ms, end_ms, gpus, exit_code, signal, "
    "classification, out_path, err_path, handle, message, "
    "peak_mem_mib, mem_series, mem_holders";

// Steps `s` (a SELECT of kRunColumns) to its end.
Result<std::vector<StoredRun>> read_runs(sqlite::Statement& s, const std::string& db_path);

}  // namespace flowline

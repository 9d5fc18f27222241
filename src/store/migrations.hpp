#pragma once
// Forward-only schema migrations. The database's `PRAGMA user_version` counts the steps
// applied; opening runs the missing ones, each in its own transaction with its version bump.
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/sqlite_db.hpp"

namespace flowline {

// FlowLine's schema, step by step. Append new steps; never edit a released one.
const std::vector<std::string>& schema_migrations();

// Brings `db` to version steps.size(). A database newer than that is refused (an older
// FlowLine must not write to a schema it does not know).
Status apply_migrations(sqlite::Db& db, const std::vector<std::string>& steps);

// The database's current schema version.
Result<int64_t> schema_version(sqlite::Db& db);

}  // namespace flowline

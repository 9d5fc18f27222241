#pragma once
// A thin RAII layer over SQLite: every return code is checked and turned into an Error that
// names the database file and what was being done.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/result.hpp"

namespace flowline::sqlite {

class Db;

// A prepared statement, kept for reuse: reset and rebound for each execution.
class Statement {
 public:
  Statement(Db& db, sqlite3_stmt* stmt, std::string what)
      : db_(db), stmt_(stmt), what_(std::move(what)) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Resets the statement and binds the arguments to parameters 1..N.
  template <class... Args>
  Status bind(const Args&... args) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    int index = 0;
    Status status = ok_status();
    ((status.ok() ? (void)(status = bind_one(++index, args)) : (void)0), ...);
    return status;
  }

  // One step: true when a row is available, false when done.
  Result<bool> step();
  // Runs a statement that returns no rows.
  Status run();

  int64_t int_at(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::optional<int64_t> optional_int_at(int column) const;
  std::string text_at(int column) const;

 private:
  Status bind_one(int index, int64_t value);
  Status bind_one(int index, int value) { return bind_one(index, static_cast<int64_t>(value)); }
  Status bind_one(int index, const std::string& value);
  Status bind_one(int index, const char* value) { return bind_one(index, std::string(value)); }
  Status bind_one(int index, std::nullptr_t);
  template <class T>
  Status bind_one(int index, const std::optional<T>& value) {
    return value ? bind_one(index, *value) : bind_one(index, nullptr);
  }
  Status check_bind(int rc, int index);

  Db& db_;
  sqlite3_stmt* stmt_;
  std::string what_;
};

class Db {
 public:
  static Result<std::unique_ptr<Db>> open(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs SQL text without results (may hold several statements).
  Status exec(const std::string& sql, const std::string& what);
  Result<std::unique_ptr<Statement>> prepare(const std::string& sql, const std::string& what);
  // The value of a single-row, single-column query.
  Result<std::string> query_text(const std::string& sql, const std::string& what);
  int64_t changes() const { return sqlite3_changes64(db_); }
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

  // "<path>: cannot <what>: <SQLite's message>".
  Error error(const std::string& what, int rc) const;
  const std::string& path() const { return path_; }

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

}  // namespace flowline::sqlite

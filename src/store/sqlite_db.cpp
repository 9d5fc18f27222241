#include "store/sqlite_db.hpp"

namespace flowline::sqlite {

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = db_.error(what_, rc);
  sqlite3_reset(stmt_);
  return e;
}

Status Statement::run() {
  auto r = step();
  if (!r) return r.error();
  sqlite3_reset(stmt_);
  return ok_status();
}

std::optional<int64_t> Statement::optional_int_at(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::text_at(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (!text) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

Status Statement::check_bind(int rc, int index) {
  if (rc == SQLITE_OK) return ok_status();
  return db_.error(what_ + " (parameter " + std::to_string(index) + ")", rc);
}

Status Statement::bind_one(int index, int64_t value) {
  return check_bind(sqlite3_bind_int64(stmt_, index, value), index);
}

Status Statement::bind_one(int index, const std::string& value) {
  return check_bind(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                      SQLITE_TRANSIENT),
                    index);
}

Status Statement::bind_one(int index, std::nullptr_t) {
  return check_bind(sqlite3_bind_null(stmt_, index), index);
}

Result<std::unique_ptr<Db>> Db::open(const std::string& path) {
  sqlite3* handle = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close(handle);
    return Error{path + ": cannot open the database: " + message};
  }
  sqlite3_extended_result_codes(handle, 1);
  return std::unique_ptr<Db>(new Db(handle, path));
}

Db::~Db() { sqlite3_close_v2(db_); }

Error Db::error(const std::string& what, int rc) const {
  const char* message = sqlite3_errcode(db_) == rc ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  return Error{path_ + ": cannot " + what + ": " + message};
}

Status Db::exec(const std::string& sql, const std::string& what) {
  char* message = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return ok_status();
  std::string text = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return Error{path_ + ": cannot " + what + ": " + text};
}

Result<std::unique_ptr<Statement>> Db::prepare(const std::string& sql, const std::string& what) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return error("prepare to " + what, rc);
  return std::make_unique<Statement>(*this, stmt, what);
}

Result<std::string> Db::query_text(const std::string& sql, const std::string& what) {
  auto stmt = prepare(sql, what);
  if (!stmt) return stmt.error();
  auto row = (*stmt)->step();
  if (!row) return row.error();
  if (!*row) return Error{path_ + ": cannot " + what + ": no result"};
  return (*stmt)->text_at(0);
}

}  // namespace flowline::sqlite

#pragma once
// Expected failures (I/O, parsing, NVML, bad requests) travel as values; see DESIGN.md §4.3.
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace flowline {

// What kind of refusal an error is, so that each front end can answer in its own terms (HTTP
// maps them to 400, 404, 409, 503 and 500; DESIGN.md §3 "Front ends share one command layer").
enum class ErrorKind {
  kBadRequest,   // the request itself is wrong: a bad value, an unknown column
  kNotFound,     // it names a run, task or GPU that does not exist
  kConflict,     // well formed, but the current state refuses it (a done task to retry)
  kUnavailable,  // cannot be served now (FlowLine is shutting down); may work later
  kInternal,     // a fault of FlowLine or the machine, not of the request
};

constexpr const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest: return "bad request";
    case ErrorKind::kNotFound: return "not found";
    case ErrorKind::kConflict: return "conflict";
    case ErrorKind::kUnavailable: return "unavailable";
    case ErrorKind::kInternal: return "internal";
  }
  return "internal";
}

// An error a user can act on: the message names the file/row/column/field at fault. The kind
// comes second with a default, so that `Error{"..."}` stays a bad request.
struct Error {
  std::string message;
  ErrorKind kind = ErrorKind::kBadRequest;
};

inline Error not_found(std::string message) {
  return Error{std::move(message), ErrorKind::kNotFound};
}
inline Error conflict(std::string message) {
  return Error{std::move(message), ErrorKind::kConflict};
}
inline Error unavailable(std::string message) {
  return Error{std::move(message), ErrorKind::kUnavailable};
}
inline Error internal_error(std::string message) {
  return Error{std::move(message), ErrorKind::kInternal};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return check(), std::get<0>(state_); }
  const T& value() const& { return check(), std::get<0>(state_); }
  T&& value() && { return check(), std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }

  const Error& error() const {
    if (ok()) std::abort();  // asking a success for its error is a programming bug
    return std::get<1>(state_);
  }

 private:
  void check() const {
    if (!ok()) std::abort();  // using a failed result's value is a programming bug
  }
  std::variant<T, Error> state_;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Ok{}; }

}  // namespace flowline

#pragma once
// Expected failures (I/O, parsing, NVML, bad requests) travel as values; see DESIGN.md §4.3.
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace flowline {

// An error a user can act on: the message names the file/row/column/field at fault.
struct Error {
  std::string message;
};

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

#pragma once
// An immutable value that many holders share: copying one copies a pointer. The scheduler and
// every published task view hold a task's waiting reason, last error and memory group; with
// 100,000 tasks mostly waiting for the same reason, one copy of each distinct value instead of
// two per task is most of the difference between 160 MB and 64 MB (issue 11).
#include <memory>
#include <ostream>
#include <type_traits>
#include <string>
#include <utility>

namespace flowline {

template <class T>
class Shared {
 public:
  Shared() = default;
  // A blank value is held as nothing: most tasks have no error and no group.
  Shared(T value) {
    if (!(value == blank())) value_ = std::make_shared<const T>(std::move(value));
  }
  // For literals and other things that make a T.
  template <class U>
    requires std::is_constructible_v<T, U&&> && (!std::is_same_v<std::decay_t<U>, Shared>) &&
             (!std::is_same_v<std::decay_t<U>, T>)
  Shared(U&& value) : Shared(T(std::forward<U>(value))) {}

  // A default T when nothing is held, so readers never check for null.
  const T& get() const { return value_ ? *value_ : blank(); }
  operator const T&() const { return get(); }
  const T* operator->() const { return &get(); }
  const T& operator*() const { return get(); }

  // The same object, not just an equal value: what interning makes cheap to test.
  bool same_object(const Shared& other) const { return value_ == other.value_; }
  friend bool operator==(const Shared& a, const Shared& b) {
    return a.same_object(b) || a.get() == b.get();
  }
  // Against a plain value (a std::string, a WaitReason, "text").
  friend bool operator==(const Shared& a, const T& b) { return a.get() == b; }
  friend bool operator==(const Shared& a, const char* b)
    requires std::is_same_v<T, std::string>
  {
    return a.get() == b;
  }

 private:
  static const T& blank() {
    static const T value{};
    return value;
  }
  std::shared_ptr<const T> value_;
};

using SharedText = Shared<std::string>;

inline std::ostream& operator<<(std::ostream& out, const SharedText& text) { return out << *text; }

}  // namespace flowline

#pragma once
// An immutable value that many holders share: copying one copies a pointer. The scheduler and
// every published task view hold a task's waiting reason, last error and memory group; with
// 100,000 tasks mostly waiting for the same reason, one copy of each distinct value instead of
// two per task is most of the difference between 160 MB and 64 MB (issue 11). It is one
// pointer (the count lives with the value), not std::shared_ptr's two: a task's record holds
// three of them.
#include <atomic>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>

namespace flowline {

template <class T>
class Shared {
 public:
  Shared() = default;
  // A blank value is held as nothing: most tasks have no error and no group.
  Shared(T value) {
    if (!(value == blank())) node_ = new Node{1, std::move(value)};
  }
  // For literals and other things that make a T.
  template <class U>
    requires std::is_constructible_v<T, U&&> && (!std::is_same_v<std::decay_t<U>, Shared>) &&
             (!std::is_same_v<std::decay_t<U>, T>)
  Shared(U&& value) : Shared(T(std::forward<U>(value))) {}

  Shared(const Shared& other) : node_(other.node_) { hold(); }
  Shared(Shared&& other) noexcept : node_(std::exchange(other.node_, nullptr)) {}
  Shared& operator=(const Shared& other) {
    Shared(other).swap(*this);
    return *this;
  }
  Shared& operator=(Shared&& other) noexcept {
    Shared(std::move(other)).swap(*this);
    return *this;
  }
  ~Shared() { release(); }

  // A default T when nothing is held, so readers never check for null.
  const T& get() const { return node_ ? node_->value : blank(); }
  operator const T&() const { return get(); }
  const T* operator->() const { return &get(); }
  const T& operator*() const { return get(); }

  // The same object, not just an equal value: what interning makes cheap to test.
  bool same_object(const Shared& other) const { return node_ == other.node_; }
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
  struct Node {
    std::atomic<long> holders;
    const T value;
  };

  static const T& blank() {
    static const T value{};
    return value;
  }
  void swap(Shared& other) noexcept { std::swap(node_, other.node_); }
  void hold() const {
    if (node_) node_->holders.fetch_add(1, std::memory_order_relaxed);
  }
  // The last holder frees it, after every other holder's reads (acq_rel).
  void release() {
    if (node_ && node_->holders.fetch_sub(1, std::memory_order_acq_rel) == 1) delete node_;
    node_ = nullptr;
  }

  Node* node_ = nullptr;
};

using SharedText = Shared<std::string>;

inline std::ostream& operator<<(std::ostream& out, const SharedText& text) { return out << *text; }

}  // namespace flowline

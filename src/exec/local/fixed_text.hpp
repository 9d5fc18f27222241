#pragma once
// Text built in a buffer of fixed size, never on the heap. A run's supervisor shares the
// supervisor server's memory (supervisor/spawn_server.hpp) and may not call malloc, so every
// path, record and message it writes is built in one of these. Text past the capacity is cut,
// and overflowed() says so.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace flowline {

template <size_t Capacity>
class FixedText {
 public:
  FixedText() { data_[0] = '\0'; }  // the rest stays unwritten: these may be page-sized
  FixedText& operator<<(std::string_view text) {
    const size_t room = Capacity - size_;
    const size_t n = text.size() < room ? text.size() : room;
    if (n) std::memcpy(data_ + size_, text.data(), n);  // text may be empty and null
    size_ += n;
    overflowed_ = overflowed_ || n < text.size();
    data_[size_] = '\0';
    return *this;
  }
  FixedText& operator<<(const char* text) { return *this << std::string_view(text); }
  FixedText& operator<<(char c) { return *this << std::string_view(&c, 1); }
  FixedText& operator<<(int64_t n) { return append_number(n); }
  FixedText& operator<<(uint64_t n) { return append_number(n); }
  FixedText& operator<<(int n) { return append_number(static_cast<int64_t>(n)); }

  const char* c_str() const { return data_; }
  std::string_view view() const { return {data_, size_}; }
  operator std::string_view() const { return view(); }  // NOLINT: reads like text
  size_t size() const { return size_; }
  bool overflowed() const { return overflowed_; }

 private:
  template <class Number>
  FixedText& append_number(Number n) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    return *this << std::string_view(digits, static_cast<size_t>(end - digits));
  }

  char data_[Capacity + 1];
  size_t size_ = 0;
  bool overflowed_ = false;
};

}  // namespace flowline

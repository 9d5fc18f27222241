#include "core/task_params.hpp"

namespace flowline {
namespace {

void append_packed(std::string& out, std::string_view value) {
  size_t n = value.size();
  do {
    const auto low = static_cast<unsigned char>(n & 0x7f);
    n >>= 7;
    out += static_cast<char>(n ? low | 0x80 : low);
  } while (n);
  out.append(value);
}

// The length at `offset` and where the bytes after it start.
std::pair<size_t, size_t> length_at(const std::string& packed, size_t offset) {
  size_t n = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(packed[offset++]);
    n |= static_cast<size_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return {n, offset};
  }
}

}  // namespace

TaskParams::TaskParams(Names names, const std::vector<std::string>& values)
    : names_(std::move(names)) {
  for (const std::string& v : values) append_packed(packed_, v);
}

TaskParams::TaskParams(std::initializer_list<std::pair<std::string, std::string>> entries) {
  auto names = std::make_shared<std::vector<std::string>>();
  names->reserve(entries.size());
  for (const auto& [name, value] : entries) {
    names->push_back(name);
    append_packed(packed_, value);
  }
  names_ = std::move(names);
}

std::string_view TaskParams::value_at(size_t offset) const {
  const auto [n, start] = length_at(packed_, offset);
  return std::string_view(packed_).substr(start, n);
}

size_t TaskParams::next_offset(size_t offset) const {
  const auto [n, start] = length_at(packed_, offset);
  return start + n;
}

size_t TaskParams::offset_of(size_t i) const {
  size_t offset = 0;
  for (size_t k = 0; k < i; ++k) offset = next_offset(offset);
  return offset;
}

std::string_view TaskParams::value(size_t i) const { return value_at(offset_of(i)); }

void TaskParams::set_value(size_t i, std::string_view value) {
  const size_t at = offset_of(i);
  const size_t after = next_offset(at);
  std::string replaced;
  append_packed(replaced, value);
  packed_.replace(at, after - at, replaced);
}

std::optional<std::string_view> TaskParams::find(std::string_view name) const {
  for (auto [n, value] : *this)
    if (n == name) return value;
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> TaskParams::entries() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(size());
  for (auto [name, value] : *this) out.emplace_back(name, std::string(value));
  return out;
}

bool operator==(const TaskParams& a, const TaskParams& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a.name(i) != b.name(i)) return false;
  return a.packed_ == b.packed_;
}

}  // namespace flowline

#include "core/task_identity.hpp"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "core/task.hpp"

namespace flowline {
namespace {

// Two independent 64-bit FNV-1a streams, each finished with a strong mixer: stable across
// builds and platforms, and collisions among a table's rows are out of reach (2^-64 per pair).
class Digest {
 public:
  void add(std::string_view field) {
    // Length first, so ("ab","c") and ("a","bc") differ.
    add_bytes(std::to_string(field.size()));
    add_bytes(":");
    add_bytes(field);
  }
  TaskIdentity finish() const { return {mix(a_), mix(b_ ^ 0x9e3779b97f4a7c15ULL)}; }

 private:
  static constexpr uint64_t kPrime = 0x100000001b3ULL;
  void add_bytes(std::string_view bytes) {
    for (unsigned char c : bytes) {
      a_ = (a_ ^ c) * kPrime;
      b_ = (b_ ^ (c + 0x5bU)) * kPrime;
    }
  }
  static uint64_t mix(uint64_t x) {  // splitmix64's finaliser
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  uint64_t a_ = 0xcbf29ce484222325ULL;
  uint64_t b_ = 0x84222325cbf29ce4ULL;
};

TaskIdentity with_occurrence(TaskIdentity base, uint64_t occurrence) {
  if (occurrence == 0) return base;
  Digest d;
  d.add(base.hex());
  d.add("occurrence");
  d.add(std::to_string(occurrence));
  return d.finish();
}

}  // namespace

std::string TaskIdentity::hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 0; i < 16; ++i) {
    out[15 - i] = kDigits[(hi >> (4 * i)) & 0xf];
    out[31 - i] = kDigits[(lo >> (4 * i)) & 0xf];
  }
  return out;
}

std::optional<TaskIdentity> TaskIdentity::from_hex(std::string_view text) {
  if (text.size() != 32) return std::nullopt;
  TaskIdentity id;
  for (size_t i = 0; i < 32; ++i) {
    const char c = text[i];
    uint64_t v = 0;
    if (c >= '0' && c <= '9') v = static_cast<uint64_t>(c - '0');
    else if (c >= 'a' && c <= 'f') v = static_cast<uint64_t>(c - 'a' + 10);
    else return std::nullopt;
    uint64_t& half = i < 16 ? id.hi : id.lo;
    half = (half << 4) | v;
  }
  return id;
}

TaskIdentity content_identity(const Task& task) {
  Digest d;
  d.add(task.name_given ? "name" : "no name");
  if (task.name_given) d.add(task.name);
  d.add(task.cmd);
  // By column name, so that reordering columns or adding an empty one changes nothing.
  std::vector<std::pair<std::string_view, std::string_view>> params;
  params.reserve(task.params.size());
  for (const auto& [name, value] : task.params)
    if (!value.empty()) params.emplace_back(name, value);
  std::sort(params.begin(), params.end());
  for (const auto& [name, value] : params) {
    d.add(name);
    d.add(value);
  }
  return d.finish();
}

void assign_identities(std::vector<Task>& tasks) {
  std::unordered_map<TaskIdentity, uint64_t, TaskIdentityHash> seen;
  seen.reserve(tasks.size());
  for (Task& task : tasks) {
    const TaskIdentity base = content_identity(task);
    task.identity = with_occurrence(base, seen[base]++);
  }
}

}  // namespace flowline

#pragma once
// Which task id each identity has (core/task_identity.hpp): every identity the state
// directory knows. An open-addressing table of two flat arrays, not a node per entry: for
// 100,000 tasks 3 MB instead of std::unordered_map's 5.4 MB, and none of it interleaved with
// what loading the table allocates and frees. The map's 100,000 nodes sat between the blocks
// freed after the table was stored, which kept 10 MB of freed heap mapped (issue 11).
#include <cstddef>
#include <climits>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/task_identity.hpp"

namespace flowline {

class IdentityIndex {
 public:
  // The id of `identity`, or nullopt when it has none.
  std::optional<int64_t> find(const TaskIdentity& identity) const;
  bool contains(const TaskIdentity& identity) const { return find(identity).has_value(); }
  // Gives `identity` the id `id`, replacing any it had.
  void set(const TaskIdentity& identity, int64_t id);
  // The id `identity` has, or `id` given to it now: {its id, whether it was new}.
  std::pair<int64_t, bool> try_emplace(const TaskIdentity& identity, int64_t id);
  size_t size() const { return used_; }

 private:
  static constexpr int64_t kEmpty = INT64_MIN;
  size_t slot_of(const TaskIdentity& identity) const;  // its slot, or the empty one it would take
  void grow();

  std::vector<TaskIdentity> identities_;
  std::vector<int64_t> ids_;  // kEmpty: a free slot
  size_t used_ = 0;
};

}  // namespace flowline

#pragma once
// Which experiment a row describes, independent of where the row sits (DESIGN.md §2): its name
// when the user gave one, its cmd, and its non-blank parameters by column name. The bookkeeping
// columns (run_num, need_run_num, priority, min_mem, gpus, timeout) say how it runs, not what
// it is. Identical rows are told apart by their order among equals: the second copy of a row
// is occurrence 1. Runs, re-adoption and write-back follow identity, so sorting or inserting
// rows never moves a run to another row, and changing a parameter makes a new task.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flowline {

struct Task;

// A 128-bit digest; saved in the state database as 32 hex digits, so it must never change
// between versions of FlowLine (its own hash, not std::hash).
struct TaskIdentity {
  uint64_t hi = 0;
  uint64_t lo = 0;

  bool empty() const { return hi == 0 && lo == 0; }
  std::string hex() const;
  static std::optional<TaskIdentity> from_hex(std::string_view text);
  bool operator==(const TaskIdentity&) const = default;
};

struct TaskIdentityHash {
  size_t operator()(const TaskIdentity& id) const { return static_cast<size_t>(id.hi ^ id.lo); }
};

// The identity of the row's content alone (occurrence 0).
TaskIdentity content_identity(const Task& task);
// Sets every task's identity: content identity plus its occurrence among identical rows.
void assign_identities(std::vector<Task>& tasks);

}  // namespace flowline

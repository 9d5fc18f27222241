#pragma once
// Mirrors run_num into the table file. The database is the source of truth; the file follows
// promptly, with a burst of completions coalesced into one atomic rewrite (DESIGN.md §3).
// The rewrite runs on the engine's thread and costs what the table's size costs (a
// 20,000-row XLSX: ~0.12 s), so the mirror paces itself: after a write that took T, the next
// waits at least kPaceFactor × T. The table then takes at most ~1/(kPaceFactor + 1) of the
// engine's time, however large it is, and small tables still follow within coalesce_ms.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace flowline {

// One task's run_num to write; the writer finds the task's row in the file as it is now.
struct RunNumUpdate {
  int64_t task_id = 0;
  int64_t run_num = 0;
};
// true: written; false: not now (the file changed and must be read first), try again later.
using RunNumWriter = std::function<Result<bool>(const std::vector<RunNumUpdate>&)>;

class TableMirror {
 public:
  static constexpr Millis kPaceFactor = 9;

  TableMirror(RunNumWriter writer, Millis coalesce_ms, const Clock& clock)
      : writer_(std::move(writer)), coalesce_ms_(coalesce_ms), clock_(clock) {}

  void set_run_num(int64_t task_id, int64_t run_num, Millis now);
  // Writes if the oldest pending change is old enough and the last write long enough ago (or
  // `force`). Keeps pending changes on failure, or when the writer says "not now", so that
  // the next flush retries them.
  Status flush(Millis now, bool force = false);
  // When flush() would write next; nullopt when nothing is pending.
  std::optional<Millis> next_flush() const;
  bool has_pending() const { return !pending_.empty(); }

 private:
  RunNumWriter writer_;
  Millis coalesce_ms_;
  const Clock& clock_;  // to time each write
  std::map<int64_t, int64_t> pending_;  // task id -> run_num
  Millis first_pending_ = 0;
  Millis paced_until_ = 0;  // no write before this (the last write's cost × kPaceFactor)
};

}  // namespace flowline

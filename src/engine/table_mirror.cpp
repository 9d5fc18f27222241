#include "engine/table_mirror.hpp"

#include <algorithm>

namespace flowline {

void TableMirror::set_run_num(int64_t task_id, int64_t run_num, Millis now) {
  if (pending_.empty()) first_pending_ = now;
  pending_[task_id] = run_num;
}

std::optional<Millis> TableMirror::next_flush() const {
  if (pending_.empty()) return std::nullopt;
  return std::max(first_pending_ + coalesce_ms_, paced_until_);
}

Status TableMirror::flush(Millis now, bool force) {
  if (pending_.empty()) return ok_status();
  if (!force && now < *next_flush()) return ok_status();
  std::vector<RunNumUpdate> updates;
  updates.reserve(pending_.size());
  for (const auto& [task_id, value] : pending_) updates.push_back({task_id, value});
  Result<bool> written = writer_(updates);
  const Millis done = clock_.now_ms();
  paced_until_ = done + kPaceFactor * std::max<Millis>(0, done - now);
  if (!written.ok() || !*written) {
    first_pending_ = now;  // try again after another coalescing period
    if (!written.ok()) return written.error();
    return ok_status();
  }
  pending_.clear();
  return ok_status();
}

}  // namespace flowline

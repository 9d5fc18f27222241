#include "engine/table_mirror.hpp"

#include <algorithm>

namespace flowline {

void TableMirror::set_run_num(int64_t row, int64_t run_num, Millis now) {
  if (pending_.empty()) first_pending_ = now;
  pending_[row] = run_num;
}

std::optional<Millis> TableMirror::next_flush() const {
  if (pending_.empty()) return std::nullopt;
  return std::max(first_pending_ + coalesce_ms_, paced_until_);
}

Status TableMirror::flush(Millis now, bool force) {
  if (pending_.empty()) return ok_status();
  if (!force && now < *next_flush()) return ok_status();
  std::vector<CellUpdate> updates;
  updates.reserve(pending_.size());
  for (const auto& [row, value] : pending_) updates.push_back({row, "run_num", std::to_string(value)});
  Status written = writer_(path_, updates);
  const Millis done = clock_.now_ms();
  paced_until_ = done + kPaceFactor * std::max<Millis>(0, done - now);
  if (!written.ok()) {
    first_pending_ = now;  // try again after another coalescing period
    return written;
  }
  pending_.clear();
  return ok_status();
}

}  // namespace flowline

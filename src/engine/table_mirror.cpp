#include "engine/table_mirror.hpp"

namespace flowline {

void TableMirror::set_run_num(int64_t row, int64_t run_num, Millis now) {
  if (pending_.empty()) first_pending_ = now;
  pending_[row] = run_num;
}

std::optional<Millis> TableMirror::next_flush() const {
  if (pending_.empty()) return std::nullopt;
  return first_pending_ + coalesce_ms_;
}

Status TableMirror::flush(Millis now, bool force) {
  if (pending_.empty()) return ok_status();
  if (!force && now < first_pending_ + coalesce_ms_) return ok_status();
  std::vector<CellUpdate> updates;
  updates.reserve(pending_.size());
  for (const auto& [row, value] : pending_) updates.push_back({row, "run_num", std::to_string(value)});
  Status written = writer_(path_, updates);
  if (!written.ok()) {
    first_pending_ = now;  // try again after another coalescing period
    return written;
  }
  pending_.clear();
  return ok_status();
}

}  // namespace flowline

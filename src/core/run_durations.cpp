#include "core/run_durations.hpp"

#include <algorithm>
#include <vector>

namespace flowline {
namespace {

// The upper median: of two runs, the longer, so that an estimate errs towards later.
Millis median_of(const std::deque<Millis>& values) {
  std::vector<Millis> v(values.begin(), values.end());
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

void keep_last(std::deque<Millis>& values, Millis value, size_t at_most) {
  values.push_back(value);
  if (values.size() > at_most) values.pop_front();
}

}  // namespace

void RunDurations::add(int64_t task_id, Millis took, const std::string& group) {
  took = std::max<Millis>(took, 0);
  keep_last(by_task_[task_id], took, kPerTask);
  if (!group.empty()) keep_last(by_group_[group], took, kPerGroup);
  keep_last(all_, took, kAll);
  all_median_ = median_of(all_);
}

std::optional<Millis> RunDurations::expected(int64_t task_id, const std::string& group) const {
  auto own = by_task_.find(task_id);
  if (own != by_task_.end() && !own->second.empty()) return median_of(own->second);
  auto same = group.empty() ? by_group_.end() : by_group_.find(group);
  if (same != by_group_.end() && !same->second.empty()) return median_of(same->second);
  if (all_.empty()) return std::nullopt;
  return all_median_;
}

}  // namespace flowline

#include "engine/task_views.hpp"

#include <limits>

#include "core/task_wait.hpp"

namespace flowline {
namespace {

// Shared by every task whose command a slow builder is making.
const Shared<WaitReason>& building_reason() {
  static const Shared<WaitReason> reason(
      WaitReason{WaitKind::kBuilding, "building its command (--cmd-builder)"});
  return reason;
}

}  // namespace

void QueueEstimates::set(size_t task, int64_t position, std::optional<Millis> start) {
  positions_[task] = static_cast<int32_t>(std::min<int64_t>(
      position, std::numeric_limits<int32_t>::max()));
  if (!start) return;
  if (starts_.empty()) starts_.assign(positions_.size(), kNoStart);
  starts_[task] = *start;
}

std::optional<int64_t> QueueEstimates::position(size_t task) const {
  if (task >= positions_.size() || positions_[task] == kNone) return std::nullopt;
  return positions_[task];
}

std::optional<Millis> QueueEstimates::start(size_t task) const {
  if (task >= starts_.size() || starts_[task] == kNoStart) return std::nullopt;
  return starts_[task];
}

TaskView view_of(const TaskProgress& p, const TaskViewContext& c) {
  TaskView v;
  v.task = p.task;
  v.state = c.states[static_cast<size_t>(p.task->id)];
  v.live_runs = p.live_runs;
  v.failures = p.failures;
  v.last_error = p.last_error;
  v.wait = c.building.count(p.task->id) ? building_reason() : current_wait(p, v.state, c.settings);
  const auto id = static_cast<size_t>(p.task->id);
  if (v.state != TaskState::kRunning) {
    v.queue_position = c.estimates.position(id);
    if (v.queue_position) v.expected_start_ms = c.estimates.start(id);
  }
  v.peak_mem_mib = p.peak_mem_mib;
  MemRequirement need = memory_requirement(p, c.settings, c.group_peaks);
  v.min_mem_mib = need.mib;
  v.min_mem_raised = p.raised_min_mem.has_value();
  v.min_mem_source = need.source;
  v.min_mem_margin_percent = static_cast<int32_t>(need.margin_percent);
  v.mem_group = std::move(need.group);
  return v;
}

size_t TaskViews::size() const {
  if (list_) return list_->size();
  if (!context_) return 0;
  return context_->all_shown ? records_.size() : context_->shown.size();
}

const TaskView TaskViews::operator[](size_t i) const {
  if (list_) return (*list_)[i];
  return view_of(record(i), *context_);
}

TaskState TaskViews::state(size_t i) const {
  if (list_) return (*list_)[i].state;
  return context_->states[record_index(i)];
}

const Task& TaskViews::task(size_t i) const {
  if (list_) return *(*list_)[i].task;
  return *record(i).task;
}

std::optional<TaskView> TaskViews::find(int64_t id) const {
  if (list_) {
    for (const TaskView& v : *list_)
      if (v.task->id == id) return v;
    return std::nullopt;
  }
  // Records are indexed by task id; a removed one is not in the table.
  if (!context_ || id < 0 || static_cast<size_t>(id) >= records_.size()) return std::nullopt;
  const TaskProgress& p = records_[static_cast<size_t>(id)];
  if (p.removed) return std::nullopt;
  return view_of(p, *context_);
}

std::optional<TaskView> TaskViews::next_in_queue() const {
  std::optional<TaskView> next;
  if (list_) {
    for (const TaskView& t : *list_)
      if (t.queue_position && (!next || *t.queue_position < *next->queue_position)) next = t;
    return next;
  }
  std::optional<size_t> first;  // the record's index
  int64_t least = 0;
  for (size_t i = 0; i < size(); ++i) {
    const size_t r = record_index(i);
    const std::optional<int64_t> position = context_->estimates.position(r);
    // A running task shows no place in the queue (view_of).
    if (!position || context_->states[r] == TaskState::kRunning || (first && *position >= least))
      continue;
    first = r;
    least = *position;
  }
  if (first) next = view_of(records_[*first], *context_);
  return next;
}

TaskViews::List& TaskViews::own() {
  if (!list_) {
    List made;  // views made from records become views made by hand
    made.reserve(size());
    for (size_t i = 0; i < size(); ++i) made.push_back((*this)[i]);
    list_ = std::make_shared<List>(std::move(made));
    records_ = {};
    context_.reset();
  } else if (list_.use_count() > 1) {
    list_ = std::make_shared<List>(*list_);
  }
  return *list_;
}

}  // namespace flowline

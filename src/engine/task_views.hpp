#pragma once
// The tasks of a snapshot. A snapshot holds the scheduler's own records (shared in chunks,
// copy-on-write: core/cow_chunks.hpp) and what the views of one refresh have in common (the
// time, settings, queue estimates); a TaskView is made when it is read. 100,000 tasks then
// cost one record each, not a record and a view (issue 11: 15 MB). Successive snapshots share
// one TaskViews until a task changes.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "core/learned_memory.hpp"
#include "core/scheduler.hpp"
#include "engine/task_view.hpp"

namespace flowline {

// Each task's place in the queue and estimated start, by task id (two compact columns: an
// optional per task would take four times the memory).
class QueueEstimates {
 public:
  void resize(size_t tasks) { positions_.assign(tasks, kNone); }
  void set(size_t task, int64_t position, std::optional<Millis> start);
  std::optional<int64_t> position(size_t task) const;
  std::optional<Millis> start(size_t task) const;

 private:
  static constexpr int32_t kNone = 0;  // positions start at 1
  static constexpr Millis kNoStart = -1;
  std::vector<int32_t> positions_;
  std::vector<Millis> starts_;  // empty until some task has an estimated start
};

// What every view of one refresh shares.
struct TaskViewContext {
  Millis now = 0;  // when they were made: a backoff's end changes a task's state
  SchedulerSettings settings;
  GroupPeaks group_peaks;      // with the settings, what a task's next run asks for
  std::set<int64_t> building;  // tasks whose command a slow builder is making
  QueueEstimates estimates;
  // Each record's state at `now`, by task id: a page counts the states of every task, and
  // reading them here spares it a visit to each task.
  std::vector<TaskState> states;
  // The records shown (those of tasks in the table) when some are not (all_shown false).
  bool all_shown = true;
  std::vector<uint32_t> shown;
};

// The view of one task as `context` sees it.
TaskView view_of(const TaskProgress& p, const TaskViewContext& context);

class TaskViews {
 public:
  using List = std::vector<TaskView>;

  class Iterator {
   public:
    Iterator(const TaskViews* views, size_t i) : views_(views), i_(i) {}
    const TaskView operator*() const { return (*views_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const Iterator& other) const { return i_ == other.i_; }

   private:
    const TaskViews* views_;
    size_t i_;
  };

  TaskViews() = default;
  // Views made by hand (tests, fakes).
  TaskViews(List list) : list_(std::make_shared<List>(std::move(list))) {}
  TaskViews(std::initializer_list<TaskView> views) : TaskViews(List(views)) {}
  // The scheduler's records, seen as `context` says.
  TaskViews(TaskRecords records, std::shared_ptr<const TaskViewContext> context)
      : records_(std::move(records)), context_(std::move(context)) {}

  size_t size() const;
  bool empty() const { return size() == 0; }
  // By value: made from the record when read. Const, so that assigning to a member of it
  // does not compile (it would change nothing); edit() changes views made by hand.
  const TaskView operator[](size_t i) const;
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }
  // Parts of the i-th view without making it: a page's counts by state scan every task.
  TaskState state(size_t i) const;
  const Task& task(size_t i) const;
  // The task with this id, when it is in the table.
  std::optional<TaskView> find(int64_t id) const;
  // The task first in the queue (the least queue_position; the first of equals), if any waits.
  // Reads the queue's column, not every view: `status` asks for it.
  std::optional<TaskView> next_in_queue() const;

  // For building or editing views by hand before they are published (test fakes): a list
  // shared with another snapshot is copied first, so published snapshots never change.
  TaskView& edit(size_t i) { return own()[i]; }
  void push_back(TaskView view) { own().push_back(std::move(view)); }

 private:
  List& own();
  // Records are indexed by task id; the i-th view is of the i-th record shown.
  size_t record_index(size_t i) const { return context_->all_shown ? i : context_->shown[i]; }
  const TaskProgress& record(size_t i) const { return records_[record_index(i)]; }

  std::shared_ptr<List> list_;  // views made by hand; null when made from records
  TaskRecords records_;
  std::shared_ptr<const TaskViewContext> context_;
};

}  // namespace flowline

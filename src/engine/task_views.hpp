#pragma once
// The tasks of a snapshot: one immutable list that successive snapshots share until a task
// changes, so a snapshot taken for a GPU sample or a setting does not rebuild 100,000 views.
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <vector>

#include "engine/task_view.hpp"

namespace flowline {

class TaskViews {
 public:
  using List = std::vector<TaskView>;

  TaskViews() : list_(std::make_shared<List>()) {}
  TaskViews(List list) : list_(std::make_shared<List>(std::move(list))) {}
  TaskViews(std::initializer_list<TaskView> views) : TaskViews(List(views)) {}

  size_t size() const { return list_->size(); }
  bool empty() const { return list_->empty(); }
  const TaskView& operator[](size_t i) const { return (*list_)[i]; }
  List::const_iterator begin() const { return list_->begin(); }
  List::const_iterator end() const { return list_->end(); }

  // For building or editing a snapshot before it is published (the engine, test fakes): a
  // list shared with another snapshot is copied first, so published snapshots never change.
  TaskView& operator[](size_t i) { return own()[i]; }
  List::iterator begin() { return own().begin(); }
  List::iterator end() { return own().end(); }
  void reserve(size_t n) { own().reserve(n); }
  void push_back(TaskView view) { own().push_back(std::move(view)); }

 private:
  List& own() {
    if (list_.use_count() > 1) list_ = std::make_shared<List>(*list_);
    return *list_;
  }

  std::shared_ptr<List> list_;
};

}  // namespace flowline

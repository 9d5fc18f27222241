#pragma once
// How long runs take, learned from the runs that ended well: the basis of a waiting task's
// estimated start (core/wait_estimate.hpp). A task's own recent runs say most about its next
// one; a task never run yet is guessed from its --mem-group's runs (the same model and data
// take about as long), else from every task's runs.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"

namespace flowline {

class RunDurations {
 public:
  // A run of `task_id` that succeeded after `took` ms. Failures are not learned from: a run
  // that dies early says nothing about how long a good one takes.
  void add(int64_t task_id, Millis took, const std::string& group = {});
  // The median of the task's last few runs, else of its group's recent runs ("" = none),
  // else of recent runs of all tasks; nullopt when no run has ended yet.
  std::optional<Millis> expected(int64_t task_id, const std::string& group = {}) const;
  bool empty() const { return all_.empty(); }

 private:
  // Bounded, so that a long session's history costs neither memory nor time: recent runs
  // are also the best guide when a machine's load changes.
  static constexpr size_t kPerTask = 5;
  static constexpr size_t kPerGroup = 20;
  static constexpr size_t kAll = 1000;
  std::unordered_map<int64_t, std::deque<Millis>> by_task_;
  std::unordered_map<std::string, std::deque<Millis>> by_group_;
  std::deque<Millis> all_;
  Millis all_median_ = 0;  // of all_, kept current by add()
};

}  // namespace flowline

#pragma once
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace flowline {

struct SchedulerSettings {
  int64_t max_running = 4;             // --max
  int64_t default_min_mem_mib = 10000; // --min-mem (the original's default)
  // --min-mem auto: a task without min_mem of its own is sized from measured runs
  // (core/learned_memory.hpp); default_min_mem_mib is then what it asks before any measurement.
  bool min_mem_auto = false;
  // --mem-group model,dataset: tasks with equal values there learn from each other's runs.
  std::vector<std::string> mem_group_columns;
  int64_t retries = 2;                 // --retries: extra attempts after a real failure
  bool dispatching = true;             // the shell's `run` toggles this
  // --pack: among tasks of equal priority, the one that needs the most GPU memory
  // (gpus × min_mem) is offered a place first, table order breaking ties. Large tasks then
  // start early instead of being left to run alone at the end, which shortens a mixed
  // table's makespan; the price is that rows no longer start in the order written.
  bool pack_largest_first = false;
  std::set<int> disabled_gpus;         // --gpus / `gpu <id>`
  // The executor chooses the GPUs (Slurm): a launch needs only a free slot, and asks for the
  // task's count of GPUs; memory, GPU order and GPUs on/off are the executor's business.
  bool executor_places_gpus = false;
  // Backoff: base * 2^(n-1), capped. OOM waits longer since memory frees slowly.
  Millis oom_backoff_base_ms = 10'000;
  Millis oom_backoff_max_ms = 300'000;
  Millis retry_backoff_base_ms = 1'000;
  Millis retry_backoff_max_ms = 60'000;
  // A task keeps off the GPU it ran out of memory on for this many backoffs.
  int64_t oom_avoid_backoffs = 4;
  // --mem-margin: a learned requirement is the measured peak plus this (percent); after an
  // OOM a task asks for at least its peak plus this, and at least half again what it asked.
  int64_t memory_margin_percent = 10;
  // --mem-margin not given (or `auto`): once a group's runs have been measured a few times,
  // its margin is learned from how much their peaks differ (core/learned_memory.hpp), never
  // above memory_margin_percent. A number given by the user is used as it is.
  bool memory_margin_learned = true;
};

}  // namespace flowline

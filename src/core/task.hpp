#pragma once
// A task is one row of the table with its reserved columns given meaning (DESIGN.md §2).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/task_identity.hpp"
#include "core/task_params.hpp"

namespace flowline {

struct Task {
  // Stable for the life of the state directory: a task keeps its id when rows move around it
  // (core/task_identity.hpp). A table read for the first time numbers its rows 0, 1, 2…
  int64_t id = 0;
  int64_t row = 0;                // 0-based data row in the file as last read
  std::string name;               // default "Task:<row>", a label only
  bool name_given = false;        // the name cell was filled in (then it is part of identity)
  bool min_mem_auto = false;      // `auto` in the min_mem cell: sized from measured runs (issue 13)
  bool cmd_placeholder = false;   // cmd held the original's "No command", read as empty
  int64_t run_num = 0;            // successful runs so far
  int64_t need_run_num = 1;       // successful runs wanted
  std::string cmd;                // shell code or variant name, inserted unquoted
  int64_t gpus = 1;               // GPUs per run; 0 = CPU only
  std::optional<int64_t> min_mem; // MiB free needed on each GPU; nullopt = global setting
  int64_t priority = 0;           // higher first
  std::optional<int64_t> timeout_ms;
  // Every non-reserved column, in column order; blank cells are "" here.
  TaskParams params;
  // Which experiment this row is (core/task_identity.hpp); zero until assign_identities().
  TaskIdentity identity;

  int64_t remaining_runs() const { return need_run_num > run_num ? need_run_num - run_num : 0; }
};

}  // namespace flowline

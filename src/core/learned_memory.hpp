#pragma once
// `min_mem` that learns (issue 13): a task marked `auto` asks for what its earlier runs were
// measured to use, else what runs of its group used (--mem-group: tasks with equal values in
// those columns are assumed to need equal memory), plus a margin, rounded up. Measuring beats
// guessing: a blanket 10,000 MiB lets one 3,000 MiB run onto a GPU that fits three.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/shared_value.hpp"
#include "core/task.hpp"

namespace flowline {

// Where a run's memory requirement came from, as `task`, --json and the API name it.
enum class MemSource { kRuns, kGroup, kMinMem, kGlobal, kRaised };
std::string_view mem_source_name(MemSource s);  // "runs", "group", "min_mem", "global", "raised"

struct MemRequirement {
  int64_t mib = 0;
  MemSource source = MemSource::kGlobal;
  SharedText group;  // for kGroup: "model=resnet,dataset=c10"
};

// What sizing a task needs to know; the scheduler fills it in.
struct MemFacts {
  bool learns = false;                  // `auto` in its row, or blank under --min-mem auto
  std::optional<int64_t> explicit_mib;  // its row's min_mem
  int64_t global_mib = 0;               // --min-mem (the fallback before any measurement)
  std::optional<int64_t> own_peak_mib;  // its runs' measured peak
  std::optional<int64_t> group_peak_mib;
  SharedText group;
  std::optional<int64_t> raised_mib;  // after out-of-memory deaths: a floor
  int64_t margin_percent = 10;
};

// Own peak beats group peak beats the explicit or global value; never below what an
// out-of-memory death raised.
MemRequirement size_memory(const MemFacts& f);

// `peak` plus `percent`, rounded up to 100 MiB (the unit the OOM rule raises in too).
int64_t with_margin(int64_t peak_mib, int64_t percent);

// "model=resnet,dataset=c10": the task's values in the --mem-group columns; "" without any.
std::string memory_group_of(const Task& t, const std::vector<std::string>& columns);

// Every --mem-group column must be a parameter column of the table: a typo would otherwise
// put every task into one group, and small tasks would be sized from the largest.
Status check_memory_group(const std::vector<std::string>& group_columns,
                          const std::vector<std::string>& table_columns);

// The peak measured per group, kept as runs are measured.
class GroupPeaks {
 public:
  // True when the group's peak rose (tasks sized from it then ask for more).
  bool note(const std::string& group, int64_t mib);
  std::optional<int64_t> peak(const std::string& group) const;

 private:
  std::map<std::string, int64_t, std::less<>> peaks_;
};

}  // namespace flowline

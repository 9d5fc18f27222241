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
  int64_t margin_percent = 0;  // for kRuns and kGroup: the margin added to the peak
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
  int64_t group_least_mib = 0;  // the smallest peak measured among the group's runs
  int64_t group_runs = 0;       // runs of the group measured
  std::optional<int64_t> raised_mib;  // after out-of-memory deaths: a floor
  int64_t margin_percent = 10;
  bool margin_learned = false;  // --mem-margin left to learn (margin_percent is then a cap)
};

// Runs of a group measured before its margin is learned from their spread.
inline constexpr int64_t kRunsToLearnMargin = 3;
// The least margin a learned one comes to: NVML samples a run's memory, and a peak between
// two samples goes unseen.
inline constexpr int64_t kLeastLearnedMarginPercent = 2;

// The margin added to a measured peak: the configured one, or once kRunsToLearnMargin runs of
// the task's group are measured, twice their spread ((largest - smallest) / largest), at least
// kLeastLearnedMarginPercent and at most the configured one. A group whose runs all use the
// same memory then packs as tightly as exact min_mem values would; one whose runs vary keeps
// room for the variation it showed.
int64_t margin_percent_for(const MemFacts& f);

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

// What the runs of one group were measured to use.
struct GroupMemory {
  int64_t peak_mib = 0;   // the most any of them used
  int64_t least_mib = 0;  // the least
  int64_t runs = 0;       // how many were measured
};

// The runs measured per group, kept as runs end.
class GroupPeaks {
 public:
  // True when what its tasks ask for may change: the group's peak rose, or its learned
  // margin (its runs' spread) did.
  bool note(const std::string& group, int64_t mib);
  std::optional<int64_t> peak(const std::string& group) const;
  std::optional<GroupMemory> memory(const std::string& group) const;

 private:
  std::map<std::string, GroupMemory, std::less<>> groups_;
};

}  // namespace flowline

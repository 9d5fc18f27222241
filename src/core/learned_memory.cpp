#include "core/learned_memory.hpp"

#include <algorithm>

#include "core/task_table.hpp"

namespace flowline {

std::string_view mem_source_name(MemSource s) {
  switch (s) {
    case MemSource::kRuns:
      return "runs";
    case MemSource::kGroup:
      return "group";
    case MemSource::kMinMem:
      return "min_mem";
    case MemSource::kGlobal:
      return "global";
    case MemSource::kRaised:
      return "raised";
  }
  return "global";
}

int64_t with_margin(int64_t peak_mib, int64_t percent) {
  constexpr int64_t kRoundMib = 100;
  const int64_t wanted = (peak_mib * (100 + percent) + 99) / 100;
  return (wanted + kRoundMib - 1) / kRoundMib * kRoundMib;
}

int64_t margin_percent_for(const MemFacts& f) {
  if (!f.margin_learned || f.group_runs < kRunsToLearnMargin || !f.group_peak_mib ||
      *f.group_peak_mib <= 0)
    return f.margin_percent;
  const int64_t peak = *f.group_peak_mib;
  const int64_t spread_percent = (100 * (peak - f.group_least_mib) + peak - 1) / peak;
  const int64_t cap = std::max(f.margin_percent, kLeastLearnedMarginPercent);
  return std::clamp(2 * spread_percent, kLeastLearnedMarginPercent, cap);
}

static MemRequirement unraised(const MemFacts& f) {
  const int64_t margin = margin_percent_for(f);
  if (f.learns && f.own_peak_mib)
    return {with_margin(*f.own_peak_mib, margin), MemSource::kRuns, margin, {}};
  if (f.learns && f.group_peak_mib && !f.group->empty())
    return {with_margin(*f.group_peak_mib, margin), MemSource::kGroup, margin, f.group};
  if (f.explicit_mib) return {*f.explicit_mib, MemSource::kMinMem, 0, {}};
  return {f.global_mib, MemSource::kGlobal, 0, {}};
}

MemRequirement size_memory(const MemFacts& f) {
  MemRequirement r = unraised(f);
  if (f.raised_mib && *f.raised_mib >= r.mib) return {*f.raised_mib, MemSource::kRaised, 0, {}};
  return r;
}

std::string memory_group_of(const Task& t, const std::vector<std::string>& columns) {
  std::string key;
  for (const std::string& column : columns) {
    const std::optional<std::string_view> value = t.params.find(column);
    if (!key.empty()) key += ',';
    key += column + '=';
    key += value.value_or("");
  }
  return key;
}

Status check_memory_group(const std::vector<std::string>& group_columns,
                          const std::vector<std::string>& table_columns) {
  for (const std::string& column : group_columns) {
    const bool reserved = std::count(kReservedColumns.begin(), kReservedColumns.end(), column) > 0;
    if (reserved)
      return Error{"--mem-group: '" + column + "' is a reserved column, not a parameter"};
    if (std::count(table_columns.begin(), table_columns.end(), column) == 0) {
      std::string known;
      for (const std::string& c : table_columns)
        if (std::count(kReservedColumns.begin(), kReservedColumns.end(), c) == 0)
          known += (known.empty() ? "" : ", ") + c;
      return Error{"--mem-group: the table has no column '" + column +
                   "' (its parameters: " + (known.empty() ? "none" : known) + ")"};
    }
  }
  return ok_status();
}

bool GroupPeaks::note(const std::string& group, int64_t mib) {
  if (group.empty()) return false;
  auto [it, added] = groups_.try_emplace(group, GroupMemory{mib, mib, 1});
  if (added) return true;
  GroupMemory& g = it->second;
  const GroupMemory before = g;
  g.peak_mib = std::max(g.peak_mib, mib);
  g.least_mib = std::min(g.least_mib, mib);
  ++g.runs;
  return g.peak_mib != before.peak_mib || g.least_mib != before.least_mib ||
         g.runs == kRunsToLearnMargin;
}

std::optional<int64_t> GroupPeaks::peak(const std::string& group) const {
  auto g = memory(group);
  if (!g) return std::nullopt;
  return g->peak_mib;
}

std::optional<GroupMemory> GroupPeaks::memory(const std::string& group) const {
  auto it = groups_.find(group);
  if (it == groups_.end()) return std::nullopt;
  return it->second;
}

}  // namespace flowline

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

static MemRequirement unraised(const MemFacts& f) {
  if (f.learns && f.own_peak_mib)
    return {with_margin(*f.own_peak_mib, f.margin_percent), MemSource::kRuns, {}};
  if (f.learns && f.group_peak_mib && !f.group->empty())
    return {with_margin(*f.group_peak_mib, f.margin_percent), MemSource::kGroup, f.group};
  if (f.explicit_mib) return {*f.explicit_mib, MemSource::kMinMem, {}};
  return {f.global_mib, MemSource::kGlobal, {}};
}

MemRequirement size_memory(const MemFacts& f) {
  MemRequirement r = unraised(f);
  if (f.raised_mib && *f.raised_mib >= r.mib) return {*f.raised_mib, MemSource::kRaised, {}};
  return r;
}

std::string memory_group_of(const Task& t, const std::vector<std::string>& columns) {
  std::string key;
  for (const std::string& column : columns) {
    const std::string* value = t.params.find(column);
    if (!key.empty()) key += ',';
    key += column + '=' + (value ? *value : "");
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
  auto [it, added] = peaks_.try_emplace(group, mib);
  if (added) return true;
  if (it->second >= mib) return false;
  it->second = mib;
  return true;
}

std::optional<int64_t> GroupPeaks::peak(const std::string& group) const {
  auto it = peaks_.find(group);
  if (it == peaks_.end()) return std::nullopt;
  return it->second;
}

}  // namespace flowline

#pragma once
// Which running FlowLine `flowline ctl` talks to when it is not given a --state-dir: the one
// of a named table, or the only one running in the current directory.
#include <string>
#include <vector>

namespace flowline::ctl {

struct InstanceSearch {
  enum class Found { kOne, kNone, kSeveral, kBadTable };
  Found found = Found::kNone;
  std::string state_dir;  // kOne: where to talk to it
  std::string message;    // otherwise: what was looked at, and what the user can do
};

// The FlowLine running canonical table `table_arg` (taken from `cwd`): the holder of its
// table lock in `lock_dirs`, wherever its state dir is; else a live one among its default
// state dir and the `cwd`/.flowline/*/ that record it.
InstanceSearch find_instance_of_table(const std::string& table_arg, const std::string& cwd,
                                      const std::vector<std::string>& lock_dirs);

// The one live instance among `cwd`/.flowline/*/ (and `cwd`/.flowline, an older FlowLine's).
InstanceSearch find_instance_here(const std::string& cwd);

}  // namespace flowline::ctl

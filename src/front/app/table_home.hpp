#pragma once
// A state directory belongs to one table, and a table to one FlowLine (DESIGN.md §2 "Task
// table"). The default state directory is per table, .flowline/<table file name> in the
// current directory, so that several tables can live side by side, each with its own logs
// in log/<the same name>.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "front/app/table_lock.hpp"

namespace flowline {

inline constexpr const char* kStateRoot = ".flowline";  // the default state dirs' parent
inline constexpr const char* kLogRoot = "log";          // the default log dirs' parent

// Where one table's FlowLine keeps its state, and the proof that it is the only one on it.
struct TableHome {
  std::string table;                // canonical absolute path of the table file (realpath)
  std::string state_dir;            // absolute
  std::string log_dir;              // absolute
  std::unique_ptr<TableLock> lock;  // held while FlowLine runs this table; released on destruction
  std::vector<std::string> notes;   // what the user should be told at start, if anything
};

// table_arg as the user typed it; state_dir_arg / log_dir_arg: the --state-dir / --log-dir
// given, if any. Refused (a message naming the way out) when the table is missing, the state
// directory belongs to another table, or another FlowLine runs this table.
Result<TableHome> claim_table_home(const std::string& table_arg,
                                   const std::optional<std::string>& state_dir_arg,
                                   const std::optional<std::string>& log_dir_arg);

// The same with relative paths taken from `cwd` and the table locks kept in `lock_dirs`, so
// that tests need neither chdir nor the user's lock directory.
Result<TableHome> claim_table_home(const std::string& table_arg,
                                   const std::optional<std::string>& state_dir_arg,
                                   const std::optional<std::string>& log_dir_arg,
                                   const std::string& cwd,
                                   const std::vector<std::string>& lock_dirs);

// realpath of `table_arg` taken from `cwd`; an error naming the table when it is missing.
Result<std::string> canonical_table(const std::string& table_arg, const std::string& cwd);

// The table recorded in `state_dir` (its `table` file); "" when it records none.
Result<std::string> state_dir_owner(const std::string& state_dir);

// The name of canonical `table`'s default state directory under `cwd`/.flowline (and of its
// log directory under `cwd`/log): the table file's name, or, when a table of that name from
// another directory already has that one, the name and a hash of the table's path.
std::string default_home_name(const std::string& table, const std::string& cwd);

}  // namespace flowline

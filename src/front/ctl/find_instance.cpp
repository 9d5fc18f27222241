#include "front/ctl/find_instance.hpp"

#include <algorithm>
#include <filesystem>

#include "front/app/table_home.hpp"
#include "front/app/table_lock.hpp"
#include "front/ctl/ctl_client.hpp"

namespace flowline::ctl {
namespace {

namespace fs = std::filesystem;
using Found = InstanceSearch::Found;

// `.flowline` itself (where an older FlowLine kept its state), then each `.flowline/*/`, as
// paths relative to `cwd` (what the user would type).
std::vector<std::string> state_dirs_here(const std::string& cwd) {
  std::vector<std::string> out = {kStateRoot};
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(cwd) / kStateRoot, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::error_code dir_ec;
    if (it->is_directory(dir_ec))
      out.push_back(std::string(kStateRoot) + "/" + it->path().filename().string());
  }
  std::sort(out.begin() + 1, out.end());
  return out;
}

std::string in_cwd(const std::string& cwd, const std::string& relative) {
  return cwd + "/" + relative;
}

// A table as the user would name it with --table from `cwd`: relative when it lies below.
std::string shown_table(const std::string& table, const std::string& cwd) {
  std::error_code ec;
  fs::path here = fs::canonical(cwd, ec);
  if (ec) return table;
  std::string prefix = here.string() + "/";
  return table.rfind(prefix, 0) == 0 ? table.substr(prefix.size()) : table;
}

std::string several(const std::vector<std::string>& live, const std::string& cwd) {
  std::vector<std::pair<std::string, std::string>> rows;  // how to pick it, what it is
  size_t width = 0;
  for (const std::string& dir : live) {
    Result<std::string> owner = state_dir_owner(in_cwd(cwd, dir));
    if (owner.ok() && !owner->empty())
      rows.emplace_back("--table " + shown_table(*owner, cwd), "(state directory " + dir + ")");
    else
      rows.emplace_back("--state-dir " + dir, "(an older FlowLine's: its table is not recorded)");
    width = std::max(width, rows.back().first.size());
  }
  std::string text = "several FlowLines are running here; pick one with --table TABLE:\n";
  for (const auto& [pick, what] : rows)
    text += "  " + pick + std::string(width - pick.size() + 3, ' ') + what + "\n";
  return text;
}

}  // namespace

InstanceSearch find_instance_here(const std::string& cwd) {
  std::vector<std::string> live;
  for (const std::string& dir : state_dirs_here(cwd))
    if (ctl_instance_live(in_cwd(cwd, dir))) live.push_back(dir);
  if (live.size() == 1) return {Found::kOne, live[0], ""};
  if (live.size() > 1) return {Found::kSeveral, "", several(live, cwd)};
  std::string where = " (no ctl.sock answers in .flowline/*/ or .flowline); ";
  return {Found::kNone, "",
          "no FlowLine is running in " + cwd + where +
              "name its table with --table TABLE or its state directory with --state-dir DIR"};
}

InstanceSearch find_instance_of_table(const std::string& table_arg, const std::string& cwd,
                                      const std::vector<std::string>& lock_dirs) {
  Result<std::string> table = canonical_table(table_arg, cwd);
  if (!table.ok()) return {Found::kBadTable, "", table.error().message};
  std::optional<TableLockHolder> holder = table_lock_holder(lock_dirs, *table);
  if (holder && !holder->state_dir.empty()) return {Found::kOne, holder->state_dir, ""};
  // Not found by its lock (one kept where this environment does not look): try its own.
  std::string mine = std::string(kStateRoot) + "/" + default_home_name(*table, cwd);
  for (const std::string& dir : state_dirs_here(cwd)) {
    Result<std::string> owner = state_dir_owner(in_cwd(cwd, dir));
    bool its = dir == mine || (owner.ok() && *owner == *table);
    if (its && ctl_instance_live(in_cwd(cwd, dir))) return {Found::kOne, dir, ""};
  }
  std::string looked = " (none holds its lock, and no ctl.sock answers in " + mine + ")";
  return {Found::kNone, "",
          "no FlowLine is running table " + *table + looked +
              "; if it runs with another --state-dir, name that one"};
}

}  // namespace flowline::ctl

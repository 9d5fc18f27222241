#include "exec/local/supervisor_identity.hpp"

#include <optional>
#include <string_view>

#include "exec/local/proc.hpp"

namespace flowline {
namespace {

std::string_view base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool runs_in_dir(const std::vector<std::string>& args, const std::string& run_dir) {
  for (size_t i = 1; i + 1 < args.size(); ++i) {
    if (args[i] == "--") return false;
    if (args[i] == "--run-dir") return args[i + 1] == run_dir;
  }
  return false;
}

// Whether the pid record names this very process: its pid and its start time.
std::optional<bool> pid_record_matches(const std::optional<run_files::PidInfo>& info, pid_t pid,
                                       uint64_t start_ticks) {
  if (!info) return std::nullopt;  // not written (yet)
  return info->pid == pid && info->start_ticks == start_ticks;
}

}  // namespace

std::string supervisor_mismatch(const RunRecord& record,
                                const std::optional<run_files::PidInfo>& pid_record) {
  const auto pid = static_cast<pid_t>(record.supervisor_pid);
  const std::string who = "pid " + std::to_string(pid);
  if (pid <= 1 || pid != record.supervisor_pid) return who + " is not a valid supervisor pid";
  auto stat = proc::read_stat(pid);
  if (!stat) return who + " is not running";
  if (stat->session != pid || record.session_id != pid) {
    return who + " does not lead session " + std::to_string(record.session_id);
  }
  // The pid record (pid and start time) says who the supervisor is, even while it is exiting
  // and its command line is already gone. A supervisor started by the supervisor server
  // writes it right after its start; one started by hand names its run directory on its
  // command line until then.
  if (auto matches = pid_record_matches(pid_record, pid, stat->start_ticks)) {
    if (!*matches)
      return who + " started at another time than the supervisor recorded in " + record.run_dir;
  } else {
    auto args = proc::cmdline(pid);
    if (args.empty() || base_name(args[0]) != kSupervisorName || !runs_in_dir(args, record.run_dir))
      return who + " is not the supervisor of " + record.run_dir + " (pid reused)";
  }
  if (proc::is_dead(*stat)) return who + " is not running";
  return "";
}

bool is_unreaped_supervisor(const RunRecord& record,
                            const std::optional<run_files::PidInfo>& pid_record) {
  const auto pid = static_cast<pid_t>(record.supervisor_pid);
  if (pid <= 1 || pid != record.supervisor_pid) return false;
  auto stat = proc::read_stat(pid);
  if (!stat || !proc::is_dead(*stat) || stat->session != pid) return false;
  return pid_record_matches(pid_record, pid, stat->start_ticks).value_or(false);
}

}  // namespace flowline

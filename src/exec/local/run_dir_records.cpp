#include "exec/local/run_dir_records.hpp"

#include "exec/local/proc.hpp"

namespace flowline::run_files {

std::optional<RunExit> read_exit_file(const std::string& run_dir) {
  std::optional<std::string> text = proc::read_file(run_dir + "/" + kExitFile);
  if (!text) return std::nullopt;
  return parse_exit(*text);
}

std::optional<PidInfo> read_pid_file(const std::string& run_dir) {
  std::optional<std::string> text = proc::read_file(run_dir + "/" + kPidFile);
  if (!text) return std::nullopt;
  return parse_pid(*text);
}

}  // namespace flowline::run_files

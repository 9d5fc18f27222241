#include "exec/slurm/slurm_commands.hpp"

#include "core/shell_quote.hpp"
#include "exec/bounded_command.hpp"

namespace flowline {

std::string SlurmReply::complaint() const {
  std::string line = err.substr(0, err.find('\n'));
  return line.empty() ? "exit status " + std::to_string(exit_code) : line;
}

Result<SlurmReply> SlurmTools::run(const std::string& program,
                                   const std::vector<std::string>& args,
                                   const std::string& input) {
  ++count_;
  BoundedCommand command;
  command.shell_command = "exec " + shell_quote(program);
  for (const std::string& arg : args) command.shell_command += " " + shell_quote(arg);
  command.input = input;
  command.timeout_ms = timeout_ms_;
  command.max_output = 64 << 20;  // squeue of many jobs
  Result<BoundedOutcome> outcome = run_bounded(command);
  if (!outcome) return Error{program + ": " + outcome.error().message};
  if (outcome->timed_out)
    return Error{program + " did not answer in " + std::to_string(timeout_ms_ / 1000) + " s"};
  if (outcome->exit_code == 127 && outcome->err.find("not found") != std::string::npos)
    return Error{program + " is not installed (Slurm's client tools are needed on this machine)"};
  if (outcome->exit_code < 0)
    return Error{program + " was killed (signal " + std::to_string(outcome->signal) + ")"};
  return SlurmReply{outcome->exit_code, std::move(outcome->out), std::move(outcome->err)};
}

}  // namespace flowline

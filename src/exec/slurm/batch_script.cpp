#include "exec/slurm/batch_script.hpp"

#include <cstdio>

#include "core/shell_quote.hpp"

namespace flowline {
namespace {

// A job name Slurm shows in squeue: printable ASCII only (the task's name may hold anything).
std::string job_name(const LaunchSpec& spec) {
  std::string name = "flowline-" + std::to_string(spec.run_id);
  if (spec.name.empty()) return name;
  name += '-';
  for (unsigned char c : spec.name) name += (c > ' ' && c < 0x7f && c != ',') ? char(c) : '_';
  return name.substr(0, 100);
}

void add(std::vector<std::string>& args, const std::string& flag, const std::string& value) {
  if (!value.empty()) args.push_back(flag + "=" + value);
}

}  // namespace

std::string slurm_time_limit(int64_t timeout_ms, int64_t grace_ms) {
  const int64_t minutes = (timeout_ms + grace_ms + 60'000 - 1) / 60'000 + 1;
  char text[48];
  std::snprintf(text, sizeof text, "%lld-%02lld:%02lld:00", static_cast<long long>(minutes / 1440),
                static_cast<long long>(minutes / 60 % 24), static_cast<long long>(minutes % 60));
  return text;
}

std::vector<std::string> sbatch_args(const LaunchSpec& spec, const SlurmOptions& options) {
  std::vector<std::string> args{"--parsable", "--no-requeue", "--job-name=" + job_name(spec)};
  if (spec.gpu_count > 0) args.push_back("--gres=gpu:" + std::to_string(spec.gpu_count));
  if (spec.timeout_ms) args.push_back("--time=" + slurm_time_limit(*spec.timeout_ms, options.grace_ms));
  add(args, "--output", spec.stdout_path);
  add(args, "--error", spec.stderr_path);
  add(args, "--chdir", spec.cwd);
  add(args, "--partition", options.partition);
  add(args, "--account", options.account);
  add(args, "--qos", options.qos);
  for (const std::string& arg : options.extra_args) args.push_back(arg);
  return args;
}

std::string batch_script(const LaunchSpec& spec, const SlurmOptions& options,
                         const std::string& run_dir) {
  std::string s = "#!/bin/sh\n# FlowLine run " + std::to_string(spec.run_id) + " of task " +
                  std::to_string(spec.task_id) + "\n";
  // Slurm sets CUDA_VISIBLE_DEVICES for the GPUs it gave; a CPU-only run sees none, whatever
  // the submitting shell had.
  if (spec.gpu_count == 0) s += "export CUDA_VISIBLE_DEVICES=\n";
  s += "export CUDA_DEVICE_ORDER=PCI_BUS_ID\n";
  s += "export FLOWLINE_GPUS=\"${CUDA_VISIBLE_DEVICES-}\"\n";
  s += "export FLOWLINE_TASK_ID=" + std::to_string(spec.task_id) + "\n";
  s += "export FLOWLINE_RUN_ID=" + std::to_string(spec.run_id) + "\n";
  for (const auto& [key, value] : spec.env) s += "export " + key + "=" + shell_quote(value) + "\n";
  // The supervisor must lead a session of its own, and Slurm starts this script as a process
  // group leader, which cannot: setsid(1) forks it off and waits. Slurm's cancel (SIGTERM to
  // every process of the job) is for the supervisor, which stops the run's whole tree and
  // records it; the waiting parent ignores it (the supervisor resets its own signals).
  s += "trap '' TERM INT HUP\n";
  s += "exec setsid -w " + shell_quote(options.supervisor_path) + " --run-dir " +
       shell_quote(run_dir);
  if (spec.timeout_ms) s += " --timeout-ms " + std::to_string(*spec.timeout_ms);
  s += " --grace-ms " + std::to_string(options.grace_ms);
  s += " -- " + shell_quote(spec.command) + "\n";
  return s;
}

}  // namespace flowline

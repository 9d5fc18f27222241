#include "front/cli/commands.hpp"

#include <cstdio>
#include <cstring>

#include "front/cli/version.hpp"

namespace flowline::cli {

// Add a subcommand here and implement it in its own file.
// (Declarations of the per-command entry points.)
int check_main(const Args& args);
int config_main(const Args& args);
int ctl_main(const Args& args);
int gpus_main(const Args& args);
int run_main(const Args& args);
int serve_main(const Args& args);
int token_main(const Args& args);
int sim_job_main(const Args& args);
int sim_ctl_main(const Args& args);

const std::vector<Command>& all_commands() {
  static const std::vector<Command> commands = {
      {"run", "run the table: interactive shell on a terminal, else to completion", run_main},
      {"serve", "the same as a service: no shell, HTTP API, runs outlive a restart", serve_main},
      {"token", "print (or --rotate) the access token of the HTTP API", token_main},
      {"check", "validate a task table and print every task's command", check_main},
      {"ctl", "send a shell command to a running instance (ls, kill 3, max 4…)", ctl_main},
      {"gpus", "GPU status, like the shell's `gpus` (--json for scripts)", gpus_main},
      {"config", "the option defaults in force (your file, the project's) and where from",
       config_main},
      {"sim-job", "test workload for simulated GPUs (holds memory, or fails with CUDA OOM)",
       sim_job_main},
      {"sim-ctl", nullptr, sim_ctl_main},  // hidden: tests and demos edit simulated GPUs
  };
  return commands;
}

static void print_usage(FILE* out) {
  std::fprintf(out,
               "FlowLine runs a table of experiments on the GPUs of a shared server.\n\n"
               "usage: flowline COMMAND [options]   (flowline COMMAND --help for details)\n\n");
  for (const auto& c : all_commands())
    if (c.summary) std::fprintf(out, "  %-8s %s\n", c.name, c.summary);
}

int dispatch(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    print_usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? kExitBadInput : kExitOk;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::printf("flowline %s (commit %s)\n", kVersion, kGitCommit);
    return kExitOk;
  }
  for (const auto& c : all_commands()) {
    if (std::strcmp(argv[1], c.name) == 0) return c.run(Args(argv + 2, argv + argc));
  }
  std::fprintf(stderr, "flowline: unknown command '%s' (see flowline --help)\n", argv[1]);
  return kExitBadInput;
}

}  // namespace flowline::cli

#include "front/cli/commands.hpp"

#include <cstdio>
#include <cstring>

namespace flowline::cli {

// Add a subcommand here and implement it in its own file.
// (Declarations of the per-command entry points.)
int ctl_main(const Args& args);


const std::vector<Command>& all_commands() {
  static const std::vector<Command> commands = {
      {"ctl", "send a shell command to a running instance (ls, kill 3, max 4…)", ctl_main},

  };
  return commands;
}

static void print_usage(FILE* out) {
  std::fprintf(out,
               "FlowLine runs a table of experiments on the GPUs of a shared server.\n\n"
               "usage: flowline COMMAND [options]   (flowline COMMAND --help for details)\n\n");
  for (const auto& c : all_commands()) std::fprintf(out, "  %-8s %s\n", c.name, c.summary);
}

int dispatch(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    print_usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? kExitBadInput : kExitOk;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::printf("flowline 0.1.0\n");
    return kExitOk;
  }
  for (const auto& c : all_commands()) {
    if (std::strcmp(argv[1], c.name) == 0) return c.run(Args(argv + 2, argv + argc));
  }
  std::fprintf(stderr, "flowline: unknown command '%s' (see flowline --help)\n", argv[1]);
  return kExitBadInput;
}

}  // namespace flowline::cli

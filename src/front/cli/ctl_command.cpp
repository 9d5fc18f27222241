// `flowline ctl [--state-dir DIR] COMMAND...`: one shell command sent to a running instance.
#include <cstdio>
#include <string>

#include "front/cli/commands.hpp"
#include "front/ctl/ctl_client.hpp"
#include "front/shell/style.hpp"
#include "front/shell/terminal_width.hpp"

namespace flowline::cli {

static const char* kCtlHelp =
    "usage: flowline ctl [--state-dir DIR] COMMAND [ARGS...]\n\n"
    "Sends one shell command (ls, gpus, task, status, kill 3, max 4, run, stop, …) to the\n"
    "FlowLine running with state directory DIR (default .flowline) and prints what the shell\n"
    "would print. `flowline ctl help` lists the commands. Over ctl, `exit` is `stop` (stops\n"
    "the instance and its runs) or `stop --leave-runs`, and `logs -f` is not available.\n\n"
    "exit status: 0 done, 1 refused (bad arguments, unknown id, unsafe socket),\n"
    "             3 no instance is running for DIR\n";

struct CtlArgs {
  std::string state_dir = ".flowline";
  std::vector<std::string> command;
  bool help = false;
};

static Result<CtlArgs> parse_ctl_args(const Args& args) {
  CtlArgs out;
  size_t i = 0;
  for (; i < args.size() && args[i].rfind("-", 0) == 0; ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      out.help = true;
    } else if (args[i] == "--state-dir") {
      if (i + 1 == args.size()) return Error{"flowline ctl: --state-dir needs a directory"};
      out.state_dir = args[++i];
    } else if (args[i].rfind("--state-dir=", 0) == 0) {
      out.state_dir = args[i].substr(12);
    } else {
      return Error{"flowline ctl: unknown option '" + args[i] + "' (see flowline ctl --help)"};
    }
  }
  out.command.assign(args.begin() + static_cast<long>(i), args.end());
  if (out.command.empty() && !out.help)
    return Error{"usage: flowline ctl [--state-dir DIR] COMMAND [ARGS...]  (e.g. flowline ctl ls)"};
  return out;
}

static int exit_status(ctl::CtlStatus status) {
  switch (status) {
    case ctl::CtlStatus::kOk:
      return kExitOk;
    case ctl::CtlStatus::kNoInstance:
      return kExitNoInstance;
    default:
      return kExitFailed;
  }
}

int ctl_main(const Args& args) {
  auto parsed = parse_ctl_args(args);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n", parsed.error().message.c_str());
    return kExitBadInput;
  }
  if (parsed->help) {
    std::fputs(kCtlHelp, stdout);
    return kExitOk;
  }
  ctl::CtlRequest request{parsed->command, shell::terminal_width(1), shell::colour_wanted(1)};
  ctl::CtlAnswer answer = ctl::ctl_call(parsed->state_dir, request);
  bool ok = answer.status == ctl::CtlStatus::kOk;
  std::fputs(answer.output.c_str(), ok ? stdout : stderr);
  std::fflush(ok ? stdout : stderr);
  return exit_status(answer.status);
}

}  // namespace flowline::cli

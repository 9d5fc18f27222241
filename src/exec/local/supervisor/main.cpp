// flowline-supervise: see supervisor.hpp. Started by FlowLine's local executor once as
// `--serve` (spawn_server.hpp), reading requests on its stdin, or by hand for one run.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "exec/local/supervisor/spawn_server.hpp"
#include "exec/local/supervisor/supervisor.hpp"

extern char** environ;

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == "--serve") {
    // _exit, not exit: supervisors may still run in this memory, and nothing of it may be
    // torn down (static destructors) under them.
    _exit(flowline::supervisor::serve(0));
  }
  std::string error;
  auto options = flowline::supervisor::parse_args(argc, argv, error);
  if (!options) {
    std::fprintf(stderr,
                 "flowline-supervise: %s\nusage: flowline-supervise --run-dir DIR "
                 "[--timeout-ms N] [--grace-ms N] [--log-limit BYTES] [--durable] -- COMMAND\n",
                 error.c_str());
    return 2;
  }
  flowline::supervisor::reset_signal_dispositions();
  flowline::supervisor::RunRequest request;
  request.run_dir = options->run_dir.c_str();
  request.command = options->command.c_str();
  request.envp = environ;
  request.timeout_ms = options->timeout_ms.value_or(-1);
  request.grace_ms = options->grace_ms;
  request.log_limit = options->log_limit;
  request.durable = options->durable;
  return flowline::supervisor::supervise(request);
}

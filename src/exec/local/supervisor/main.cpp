// flowline-supervise: see supervisor.hpp. Started by FlowLine's local executor, one per run,
// or once as `--serve` (spawn_server.hpp), reading requests on its stdin, to fork them.
#include <cstdio>
#include <cstring>
#include <string>

#include "exec/local/supervisor/spawn_server.hpp"
#include "exec/local/supervisor/supervisor.hpp"

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == "--serve") {
    // argv's strings lie end to end: together they are the room `ps` reads the title from.
    const size_t size = static_cast<size_t>(argv[1] + std::strlen(argv[1]) + 1 - argv[0]);
    return flowline::supervisor::serve(0, {argv[0], size});
  }
  std::string error;
  auto options = flowline::supervisor::parse_args(argc, argv, error);
  if (!options) {
    std::fprintf(stderr,
                 "flowline-supervise: %s\nusage: flowline-supervise --run-dir DIR "
                 "[--timeout-ms N] [--grace-ms N] [--durable] -- COMMAND\n",
                 error.c_str());
    return 2;
  }
  flowline::supervisor::reset_signal_dispositions();
  return flowline::supervisor::supervise(*options);
}

// flowline-supervise: see supervisor.hpp. Started by FlowLine's local executor, one per run.
#include <cstdio>
#include <string>

#include "exec/local/supervisor/supervisor.hpp"

int main(int argc, char** argv) {
  std::string error;
  auto options = flowline::supervisor::parse_args(argc, argv, error);
  if (!options) {
    std::fprintf(stderr,
                 "flowline-supervise: %s\nusage: flowline-supervise --run-dir DIR "
                 "[--timeout-ms N] [--grace-ms N] [--durable] -- COMMAND\n",
                 error.c_str());
    return 2;
  }
  return flowline::supervisor::supervise(*options);
}

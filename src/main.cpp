// Wiring only: parse the subcommand and hand over to its front end (src/front/cli/).
#include "front/cli/commands.hpp"
#include "table/heap_tuning.hpp"

int main(int argc, char** argv) {
  flowline::tune_heap_for_large_tables();
  return flowline::cli::dispatch(argc, argv);
}

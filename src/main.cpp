// Wiring only: parse the subcommand and hand over to its front end (src/front/cli/).
#include "front/cli/commands.hpp"

int main(int argc, char** argv) { return flowline::cli::dispatch(argc, argv); }

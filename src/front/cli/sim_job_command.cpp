// `flowline sim-job --mem MIB --secs S [--exit CODE]`: a training-script stand-in for
// simulated GPUs (see gpu/sim/sim_job.hpp).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "front/cli/commands.hpp"
#include "gpu/sim/sim_job.hpp"

namespace flowline::cli {

namespace {

constexpr const char* kUsage =
    "usage: flowline sim-job --mem MIB --secs S [--exit CODE] [--grow G]\n"
    "  claims MIB on each simulated GPU in CUDA_VISIBLE_DEVICES, holds it S seconds (decimals\n"
    "  allowed), releases it and exits CODE (default 0); prints PyTorch's CUDA out-of-memory\n"
    "  error and exits 1 when the memory is not free. With --grow G it first takes what is\n"
    "  free and holds that G seconds before dying, as a script that grows into a GPU does.\n"
    "  Needs FLOWLINE_SIM_STATE (--sim-gpus).\n";

bool parse_number(const std::string& text, double& value) {
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0' && value >= 0 && value < 1e9;
}

}  // namespace

int sim_job_main(const Args& args) {
  sim::SimJobOptions options;
  bool have_mem = false, have_secs = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    }
    double value = 0;
    bool known = a == "--mem" || a == "--secs" || a == "--exit" || a == "--grow";
    if (!known || i + 1 >= args.size() || !parse_number(args[i + 1], value)) {
      std::fprintf(stderr, "flowline sim-job: bad argument '%s'\n%s", a.c_str(), kUsage);
      return kExitBadInput;
    }
    ++i;
    if (a == "--mem") {
      options.mib = static_cast<int64_t>(value);
      have_mem = true;
    } else if (a == "--grow") {
      options.grow_seconds = value;
    } else if (a == "--secs") {
      options.seconds = value;
      have_secs = true;
    } else {
      options.exit_code = static_cast<int>(value) & 0xff;
    }
  }
  if (!have_mem || !have_secs) {
    std::fprintf(stderr, "flowline sim-job: --mem and --secs are required\n%s", kUsage);
    return kExitBadInput;
  }
  return sim::run_sim_job(options);
}

}  // namespace flowline::cli

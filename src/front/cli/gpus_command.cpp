// `flowline gpus [--json] [--sim-gpus SPEC] [--gpus LIST] [--state-dir DIR]`
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "core/system_clock.hpp"
#include "front/cli/commands.hpp"
#include "front/json/gpu_json.hpp"
#include "front/shell/listings.hpp"
#include "front/shell/style.hpp"
#include "front/shell/terminal_width.hpp"
#include "gpu/gpu_setup.hpp"
#include "gpu/sampler.hpp"

namespace flowline::cli {

namespace {

constexpr const char* kUsage =
    "usage: flowline gpus [--json] [--sim-gpus SPEC] [--gpus LIST] [--state-dir DIR]\n"
    "  --json           print the object GET /api/gpus serves\n"
    "  --sim-gpus SPEC  simulated GPUs, e.g. 4x24000 or 2x24000,1x80000 (state in DIR/sim)\n"
    "  --gpus LIST      GPUs FlowLine may use, e.g. 0,2 (the others show as disabled)\n"
    "  --state-dir DIR  FlowLine's state directory (default .flowline)\n";

struct GpusOptions {
  bool json = false;
  std::optional<std::string> sim_spec;
  std::optional<std::string> gpu_list;
  std::string state_dir = ".flowline";
};

std::optional<GpusOptions> parse(const Args& args, int& exit_code) {
  GpusOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> const std::string* { return i + 1 < args.size() ? &args[++i] : nullptr; };
    if (a == "--json") {
      options.json = true;
    } else if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      exit_code = kExitOk;
      return std::nullopt;
    } else if (a == "--sim-gpus" || a == "--gpus" || a == "--state-dir") {
      const std::string* v = value();
      if (!v) {
        std::fprintf(stderr, "flowline gpus: %s needs a value\n%s", a.c_str(), kUsage);
        exit_code = kExitBadInput;
        return std::nullopt;
      }
      if (a == "--sim-gpus")
        options.sim_spec = *v;
      else if (a == "--gpus")
        options.gpu_list = *v;
      else
        options.state_dir = *v;
    } else {
      std::fprintf(stderr, "flowline gpus: unknown option '%s'\n%s", a.c_str(), kUsage);
      exit_code = kExitBadInput;
      return std::nullopt;
    }
  }
  return options;
}

}  // namespace

int gpus_main(const Args& args) {
  int exit_code = kExitOk;
  auto options = parse(args, exit_code);
  if (!options) return exit_code;
  SamplerOptions sampler_options;
  if (options->gpu_list) {
    auto enabled = parse_gpu_list(*options->gpu_list);
    if (!enabled) {
      std::fprintf(stderr, "flowline gpus: %s\n", enabled.error().message.c_str());
      return kExitBadInput;
    }
    sampler_options.enabled_only = *enabled;
  }
  auto gpus = open_gpus(options->sim_spec, options->state_dir);
  if (!gpus) {
    std::fprintf(stderr, "flowline gpus: %s\n", gpus.error().message.c_str());
    return kExitBadInput;
  }
  if (!gpus->source) {
    std::fprintf(stderr, "flowline: %s\n", gpus->note.c_str());
    if (options->json) std::printf("{}\n");
    return kExitOk;
  }
  SystemClock clock;
  Sampler sampler(std::move(gpus->source), clock, sampler_options);
  auto snapshot = sampler.sample_now();
  if (snapshot->error) {
    std::fprintf(stderr, "flowline gpus: %s\n", snapshot->error->c_str());
    if (options->json) std::printf("{}\n");
    return kExitFailed;
  }
  if (options->json) {
    std::printf("%s\n", gpus_to_json(*snapshot).dump(2).c_str());
  } else {
    const shell::Presentation how{shell::terminal_width(STDOUT_FILENO),
                                  shell::colour_wanted(STDOUT_FILENO)};
    std::fputs(
        shell::gpu_table_text(snapshot->gpus, snapshot->disabled, snapshot->simulated, how).c_str(),
        stdout);
  }
  return kExitOk;
}

}  // namespace flowline::cli

// `flowline gpus [--json] [--sim-gpus SPEC] [--gpus LIST] [--state-dir DIR]`, or
// `flowline gpus --executor slurm [--partition P] [--json]`: the partition's GPUs from sinfo.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "core/system_clock.hpp"
#include "exec/slurm/partition_gpus.hpp"
#include "exec/slurm/slurm_commands.hpp"
#include "front/shell/text_table.hpp"
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
    "  --state-dir DIR  FlowLine's state directory (default .flowline)\n"
    "  --executor slurm the GPUs of Slurm's nodes (sinfo), as `run --executor slurm` uses them\n"
    "  --partition P    only partition P's nodes (with --executor slurm)\n";

struct GpusOptions {
  bool json = false;
  bool slurm = false;
  std::string partition;
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
    } else if (a == "--sim-gpus" || a == "--gpus" || a == "--state-dir" || a == "--executor" ||
               a == "--partition") {
      const std::string* v = value();
      if (!v) {
        std::fprintf(stderr, "flowline gpus: %s needs a value\n%s", a.c_str(), kUsage);
        exit_code = kExitBadInput;
        return std::nullopt;
      }
      if (a == "--executor" && *v != "local" && *v != "slurm") {
        std::fprintf(stderr, "flowline gpus: --executor: expected local or slurm, got '%s'\n",
                     v->c_str());
        exit_code = kExitBadInput;
        return std::nullopt;
      }
      if (a == "--executor")
        options.slurm = *v == "slurm";
      else if (a == "--partition")
        options.partition = *v;
      else if (a == "--sim-gpus")
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

nlohmann::json nodes_json(const std::vector<NodeGpus>& nodes) {
  nlohmann::json out = nlohmann::json::array();
  for (const NodeGpus& n : nodes)
    out.push_back({{"node", n.node}, {"partition", n.partition}, {"gpus", n.total},
                   {"used", n.used}, {"free", n.total - n.used}, {"state", n.state}});
  return out;
}

// Under Slurm the GPUs are the nodes', counted by Slurm: what each node has, and uses now.
int slurm_gpus(const GpusOptions& options) {
  std::vector<std::string> args{"-h", "-N", "-O", kSinfoGpuFormat};
  if (!options.partition.empty()) args.insert(args.end(), {"-p", options.partition});
  SlurmTools tools(30'000);
  Result<SlurmReply> reply = tools.run("sinfo", args, "");
  if (!reply || !reply->ok()) {
    std::fprintf(stderr, "flowline gpus: Slurm does not answer: %s\n",
                 reply ? reply->complaint().c_str() : reply.error().message.c_str());
    return kExitFailed;
  }
  const std::vector<NodeGpus> nodes = parse_partition_gpus(reply->out);
  if (options.json) {
    std::printf("%s\n", nodes_json(nodes).dump(2).c_str());
    return kExitOk;
  }
  if (nodes.empty()) {
    std::printf("no Slurm node%s\n",
                options.partition.empty() ? "" : (" in partition " + options.partition).c_str());
    return kExitOk;
  }
  shell::TextTable table({{"NODE"}, {"PARTITION"}, {"GPUS", true}, {"USED", true},
                          {"FREE", true}, {"STATE"}});
  for (const NodeGpus& n : nodes)
    table.add_row({{n.node}, {n.partition}, {std::to_string(n.total)}, {std::to_string(n.used)},
                   {std::to_string(n.total - n.used)}, {n.state}});
  std::fputs(table.render(shell::terminal_width(STDOUT_FILENO),
                          shell::Style(shell::colour_wanted(STDOUT_FILENO)))
                 .c_str(),
             stdout);
  return kExitOk;
}

}  // namespace

int gpus_main(const Args& args) {
  int exit_code = kExitOk;
  auto options = parse(args, exit_code);
  if (!options) return exit_code;
  if (!options->partition.empty() && !options->slurm) {
    std::fprintf(stderr, "flowline gpus: --partition needs --executor slurm\n");
    return kExitBadInput;
  }
  if (options->slurm) return slurm_gpus(*options);
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

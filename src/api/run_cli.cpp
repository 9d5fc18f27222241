// flowline::api::run_cli: `flowline run TABLE` with the caller's builder and GPU order.
#include <cstdio>
#include <cstdlib>
#include <flowline/flowline.hpp>

#include "api/callback_command_builder.hpp"
#include "api/gpu_comparator.hpp"
#include "api/install_paths.hpp"
#include "front/app/engine_stack.hpp"
#include "front/app/run_engine.hpp"
#include "front/cli/commands.hpp"
#include "front/cli/run_options.hpp"

namespace flowline::api {
namespace {

std::string gpu_list(const std::vector<int>& gpus) {
  std::string out;
  for (int g : gpus) {
    if (!out.empty()) out += ',';  // not "," + string&&: GCC 12's -Wrestrict misfires (PR 105329)
    out += std::to_string(g);
  }
  return out;
}

// The options as `flowline run` would get them, so that one parser checks them all.
cli::Args command_line(const std::string& table, const Options& o) {
  cli::Args args = {table};
  auto add = [&](const char* name, const std::string& value) {
    args.push_back(name);
    args.push_back(value);
  };
  if (o.max) add("--max", std::to_string(*o.max));
  if (o.min_mem) add("--min-mem", std::to_string(*o.min_mem));
  if (o.gpus) add("--gpus", gpu_list(*o.gpus));
  if (o.sim_gpus) add("--sim-gpus", *o.sim_gpus);
  if (o.state_dir) add("--state-dir", *o.state_dir);
  if (o.log_dir) add("--log-dir", *o.log_dir);
  if (o.retries) add("--retries", std::to_string(*o.retries));
  if (o.batch) args.push_back("--batch");
  args.insert(args.end(), o.args.begin(), o.args.end());
  return args;
}

Result<cli::RunOptions> run_options(const std::string& table, const Options& o, bool has_cmp) {
  Result<cli::RunOptions> parsed = cli::parse_run_options(command_line(table, o), "run");
  if (!parsed) return parsed.error();
  if (parsed->help) return Error{"--help is for the flowline program, not for run_cli"};
  if (parsed->command_template_given || parsed->cmd_builder)
    return Error{
        "--cmd and --cmd-builder do not apply: run_cli's builder function builds "
        "every command"};
  if (has_cmp && !parsed->order_text.empty())
    return Error{"--order and a comparator exclude each other: give one GPU order"};
  return parsed;
}

}  // namespace

int run_cli(Builder func, const std::string& table, Comparator cmp, Options options) {
  if (!func) {
    std::fprintf(stderr, "flowline: run_cli needs a builder function\n");
    return cli::kExitBadInput;
  }
  Result<cli::RunOptions> parsed = run_options(table, options, static_cast<bool>(cmp));
  if (!parsed) {
    std::fprintf(stderr, "flowline: %s\n", parsed.error().message.c_str());
    return cli::kExitBadInput;
  }
  const std::string lib_dir = library_dir();
  // The simulated driver is searched next to the program; this program is not FlowLine's.
  if (parsed->sim_gpus && !std::getenv("FLOWLINE_SIM_LIBRARY")) {
    std::string driver = find_sim_driver(lib_dir);
    if (!driver.empty()) setenv("FLOWLINE_SIM_LIBRARY", driver.c_str(), 1);
  }
  EngineOverrides overrides;
  overrides.builder = std::make_unique<CallbackCommandBuilder>(std::move(func));
  if (cmp) overrides.gpu_order = gpu_less_of(std::move(cmp));
  overrides.supervisor_path = find_supervisor(lib_dir);

  cli::choose_mode(*parsed);
  SignalScope signals(parsed->interactive);  // before build_engine_stack starts any thread
  Result<std::unique_ptr<EngineStack>> stack = build_engine_stack(*parsed, std::move(overrides));
  if (!stack) {
    std::fprintf(stderr, "flowline: %s\n", stack.error().message.c_str());
    return cli::kExitBadInput;
  }
  return run_engine(**stack, *parsed, "flowline");
}

}  // namespace flowline::api

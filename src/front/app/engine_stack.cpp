#include "front/app/engine_stack.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "core/command_program.hpp"
#include "core/command_template.hpp"
#include "core/gpu_order.hpp"
#include "core/learned_memory.hpp"
#include "front/app/disk_space_probe.hpp"
#include "core/task_table.hpp"
#include "engine/program_command_builder.hpp"
#include "engine/sampler_gpu_feed.hpp"
#include "exec/local/local_executor.hpp"
#include "exec/slurm/slurm_executor.hpp"
#include "front/app/table_home.hpp"
#include "gpu/gpu_setup.hpp"
#include "store/sqlite_store.hpp"
#include "table/table_file.hpp"

namespace flowline {
namespace {

namespace fs = std::filesystem;

Result<GpuLess> gpu_order(const cli::RunOptions& o) {
  Result<GpuOrder> order = o.order_text.empty() ? Result<GpuOrder>(default_gpu_order())
                                                : parse_gpu_order(o.order_text);
  if (!order.ok()) return Error{"--order: " + order.error().message};
  return GpuLess([order = *order](const GpuInfo& a, const GpuInfo& b) {
    return gpu_less(order, a, b);
  });
}

std::string gpus_text(const std::vector<int>& gpus) {
  std::string text;
  for (int gpu : gpus) text += (text.empty() ? "" : ",") + std::to_string(gpu);
  return text;
}

// `--gpus 9` on a machine without GPU 9 would leave every GPU task waiting for ever, in
// silence: refused at start, naming the GPUs there are. A failed first sample proves nothing.
Status check_only_gpus(const std::vector<int>& only, const GpuSnapshot* found,
                       const std::string& note) {
  if (!found) {
    return Error{"--gpus " + gpus_text(only) + ": no GPU can be used here (" + note + ")"};
  }
  if (found->error) return ok_status();
  std::vector<int> present, missing;
  for (const GpuInfo& gpu : found->gpus) present.push_back(gpu.index);
  for (int gpu : only)
    if (std::find(present.begin(), present.end(), gpu) == present.end()) missing.push_back(gpu);
  if (missing.empty()) return ok_status();
  const std::string count = std::to_string(present.size());
  return Error{"--gpus " + gpus_text(only) + ": no GPU " + gpus_text(missing) + " here (" +
               count + (present.size() == 1 ? " GPU" : " GPUs") + " found" +
               (present.empty() ? "" : ": " + gpus_text(present)) + ")"};
}

// NVML if it loads (simulated when --sim-gpus), else no GPUs at all, said plainly.
Status start_gpus(const cli::RunOptions& o, EngineStack& stack) {
  Result<GpuSetup> gpus = open_gpus(o.sim_gpus, stack.state_dir);
  if (!gpus.ok()) return gpus.error();
  if (!gpus->source) {
    if (o.only_gpus) return check_only_gpus(*o.only_gpus, nullptr, gpus->note);
    stack.notes.push_back(gpus->note);
    stack.gpu_feed = std::make_unique<NoGpuFeed>();
    return ok_status();
  }
  stack.notes.push_back(gpus->note);
  SamplerOptions options;
  if (o.only_gpus) options.enabled_only = std::set<int>(o.only_gpus->begin(), o.only_gpus->end());
  stack.sampler = std::make_unique<Sampler>(std::move(gpus->source), stack.clock, options);
  std::shared_ptr<const GpuSnapshot> first = stack.sampler->sample_now();
  if (o.only_gpus) {
    if (Status s = check_only_gpus(*o.only_gpus, first.get(), gpus->note); !s.ok()) return s;
  }
  stack.sampler->start();
  stack.gpu_feed = std::make_unique<SamplerGpuFeed>(*stack.sampler);
  return ok_status();
}

// The template (checked against the columns now, not at the first launch), the builder
// program, or the embedding program's own builder.
Result<std::unique_ptr<CommandBuilder>> command_builder(const cli::RunOptions& o,
                                                        const std::vector<std::string>& columns,
                                                        EngineOverrides& overrides) {
  if (overrides.builder) return std::move(overrides.builder);
  if (o.cmd_builder) {
    ProgramBuilderOptions options;
    options.program = *o.cmd_builder;
    std::error_code ec;
    options.work_dir = fs::current_path(ec).string();
    options.columns = columns;
    options.timeout_ms = o.cmd_builder_timeout_ms;
    return std::unique_ptr<CommandBuilder>(std::make_unique<ProgramCommandBuilder>(options));
  }
  Result<CommandTemplate> tmpl = CommandTemplate::parse(o.command_template, columns);
  if (!tmpl.ok()) return Error{"--cmd: " + tmpl.error().message};
  return std::unique_ptr<CommandBuilder>(
      std::make_unique<TemplateCommandBuilder>(std::move(*tmpl), o.command_template));
}

// With a template, every command is known now: a table whose commands name no program (the
// original's habit of parameters without `cmd`) is refused before anything starts, with the
// way out, instead of failing every run in /bin/sh. A builder's commands are checked at launch.
Status check_programs(const cli::RunOptions& o, bool overrides_builder, const TaskTable& table) {
  if (overrides_builder || o.cmd_builder) return ok_status();
  Result<CommandTemplate> tmpl = CommandTemplate::parse(o.command_template, table.columns);
  if (!tmpl.ok()) return ok_status();  // command_builder() has said why
  const MissingPrograms missing = find_missing_programs(table.tasks, *tmpl);
  if (missing.count == 0) return ok_status();
  std::string text = o.table + ": " + missing_programs_text(missing, table.tasks.size());
  if (const std::string note = placeholder_cmd_note(table.tasks); !note.empty())
    text += "\n" + o.table + ": " + note;
  return Error{text};
}

// The local executor, or Slurm's (--executor slurm): each keeps its runs' records under
// STATE_DIR/runs and starts the command under flowline-supervise.
Status start_executor(const cli::RunOptions& o, const EngineOverrides& overrides,
                      EngineStack& stack) {
  const std::string runs_root = stack.state_dir + "/runs";
  if (o.executor == "slurm") {
    SlurmOptions options = o.slurm;
    options.runs_root = runs_root;
    options.supervisor_path =
        overrides.supervisor_path.empty() ? default_supervisor_path() : overrides.supervisor_path;
    auto tools = std::make_unique<SlurmTools>(options.command_timeout_ms);
    Result<std::unique_ptr<SlurmExecutor>> slurm =
        SlurmExecutor::create(std::move(options), std::move(tools), stack.clock);
    if (!slurm.ok()) return slurm.error();
    stack.executor = std::move(*slurm);
    stack.notes.push_back(
        "executor: Slurm (sbatch): Slurm chooses each run's GPUs, so min_mem, --min-mem, "
        "--order and turning GPUs on or off do not apply");
    return ok_status();
  }
  LocalExecutorOptions options;
  options.runs_root = runs_root;
  options.supervisor_path = overrides.supervisor_path;
  options.log_limit = o.log_limit;
  Result<std::unique_ptr<LocalExecutor>> local = LocalExecutor::create(options);
  if (!local.ok()) return local.error();
  stack.executor = std::move(*local);
  return ok_status();
}

}  // namespace

EngineStack::~EngineStack() {
  engine.reset();  // before the parts it points at
  gpu_feed.reset();
  if (sampler) sampler->stop();
}

Result<std::unique_ptr<EngineStack>> build_engine_stack(const cli::RunOptions& o,
                                                        EngineOverrides overrides) {
  auto stack = std::make_unique<EngineStack>();
  const bool overrides_builder = static_cast<bool>(overrides.builder);
  // Before reading: a save during the read is then read again once the table is watched.
  const std::optional<FileSignature> signature = file_signature(o.table);
  Result<TaskTable> table = load_task_table(o.table);
  if (!table.ok()) return table.error();
  if (Status s = check_memory_group(o.settings.mem_group_columns, table->columns); !s.ok())
    return s.error();
  Result<std::unique_ptr<CommandBuilder>> builder = command_builder(o, table->columns, overrides);
  if (!builder.ok()) return builder.error();
  if (Status s = check_programs(o, overrides_builder, *table); !s.ok()) return s.error();
  Result<GpuLess> order = overrides.gpu_order ? Result<GpuLess>(overrides.gpu_order) : gpu_order(o);
  if (!order.ok()) return order.error();

  Result<TableHome> home = claim_table_home(o.table, o.state_dir, o.log_dir);
  if (!home.ok()) return home.error();
  stack->home = std::move(*home);
  stack->state_dir = stack->home.state_dir;
  stack->notes = stack->home.notes;
  if (std::string note = placeholder_cmd_note(table->tasks); !note.empty())
    stack->notes.push_back(o.table + ": " + note);
  std::error_code ec;

  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::open(stack->state_dir);
  if (!store.ok()) return store.error();
  stack->store = std::move(*store);
  if (o.executor == "slurm")
    stack->gpu_feed = std::make_unique<NoGpuFeed>();  // the nodes' GPUs are Slurm's to place
  else if (Status s = start_gpus(o, *stack); !s.ok())
    return s.error();
  if (Status s = start_executor(o, overrides, *stack); !s.ok()) return s.error();
  stack->builder = std::move(*builder);

  EngineConfig config;
  config.table_path = stack->home.table;
  config.table_signature = signature;
  config.table_has_run_num = std::count(table->columns.begin(), table->columns.end(), "run_num") > 0;
  config.settings = o.settings;
  config.settings.executor_places_gpus = stack->executor->places_gpus();
  if (o.only_gpus && stack->sampler) config.settings.disabled_gpus = stack->sampler->disabled();
  config.log_dir = stack->home.log_dir;
  config.work_dir = fs::current_path(ec).string();
  config.gpu_order = *order;
  config.order_text = o.order_text;
  config.given.max_running = o.max_given;
  config.given.min_mem = o.min_mem_given;
  config.given.order = o.order_given || static_cast<bool>(overrides.gpu_order);
  config.given.gpus = o.only_gpus.has_value();
  config.given.start = o.start;
  config.interactive = o.interactive;
  // The shell decides when to end; a service runs until it is told to stop.
  config.exit_when_finished = !o.interactive && !o.serve;
  stack->space = std::make_unique<DiskSpaceProbe>(
      std::vector<std::string>{stack->state_dir, stack->home.log_dir});
  EngineParts parts{&stack->clock,       stack->gpu_feed.get(), stack->executor.get(),
                    stack->store.get(), stack->builder.get(), stack->space.get()};
  stack->engine = std::make_unique<Engine>(std::move(config), std::move(*table), std::move(parts));
  return stack;
}

}  // namespace flowline

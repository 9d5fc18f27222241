#pragma once
// Everything `flowline run` and `flowline serve` assemble from their options: the table, the
// GPU sampler (real NVML, simulated, or none), the store, the executor and the engine.
#include <memory>
#include <string>
#include <vector>

#include "core/system_clock.hpp"
#include "engine/engine.hpp"
#include "front/app/table_home.hpp"
#include "front/cli/run_options.hpp"
#include "gpu/sampler.hpp"

namespace flowline {

struct EngineStack {
  // The table's state and log dirs and its lock: first, so that the lock outlives the rest.
  TableHome home;
  SystemClock clock;
  std::unique_ptr<Sampler> sampler;
  std::unique_ptr<GpuFeed> gpu_feed;
  std::unique_ptr<Store> store;
  std::unique_ptr<Executor> executor;
  std::unique_ptr<CommandBuilder> builder;
  std::unique_ptr<SpaceProbe> space;
  std::unique_ptr<Engine> engine;
  std::string state_dir;  // absolute: home.state_dir
  std::vector<std::string> notes;  // what the user should know at start (no NVML, simulated…)

  ~EngineStack();
};

// What a program embedding FlowLine (the C++ API) supplies instead of the command line's
// --cmd/--cmd-builder and --order, and where it finds FlowLine's helper programs.
struct EngineOverrides {
  std::unique_ptr<CommandBuilder> builder;  // null = from the options
  GpuLess gpu_order;                        // empty = from the options
  std::string supervisor_path;              // "" = flowline-supervise next to this program
};

// The caller subscribes to the engine's messages, then calls engine->recover() (so that what
// recovery says is heard), then runs it.
// Errors are the user's to fix (bad table, template, option, busy state dir): exit status 2.
Result<std::unique_ptr<EngineStack>> build_engine_stack(const cli::RunOptions& options,
                                                        EngineOverrides overrides = {});

}  // namespace flowline

#pragma once
// Options shared by `flowline run` and `flowline serve` (DESIGN.md §2 "Command line").
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/scheduler_settings.hpp"
#include "exec/slurm/slurm_options.hpp"
#include "engine/engine_event.hpp"
#include "front/cli/commands.hpp"

namespace flowline::cli {

// A run's log may hold 1 GiB per stream: far more than anyone reads, far less than a run
// printing in a loop writes in a night.
inline constexpr int64_t kDefaultLogLimit = int64_t{1} << 30;

struct RunOptions {
  std::string table;
  std::string command_template = "{cmd} {args}";
  bool command_template_given = false;  // --cmd was on the command line
  SchedulerSettings settings;
  std::optional<std::vector<int>> only_gpus;  // --gpus 0,2: the others start disabled
  std::string order_text;                     // --order; empty = default
  // Given on the command line: these win over the settings saved by the last session.
  bool max_given = false, min_mem_given = false, order_given = false;
  // nullopt = the table's own: .flowline/<table file name> and log/<the same name>.
  std::optional<std::string> state_dir;
  std::optional<std::string> log_dir;
  std::optional<std::string> sim_gpus;
  // --log-limit: the most bytes each run's .out and .err keep; 0 = no cap.
  int64_t log_limit = kDefaultLogLimit;
  std::optional<std::string> cmd_builder;  // --cmd-builder PROGRAM, instead of the template
  Millis cmd_builder_timeout_ms = 10000;
  // --on-event PROGRAM: run (by /bin/sh) with each chosen event as JSON on stdin;
  // --on-event-kinds: which (nullopt = failed, oom, lost, all_done); --on-event-timeout.
  std::optional<std::string> on_event;
  std::optional<std::set<EventKind>> on_event_kinds;
  std::optional<Millis> on_event_timeout_ms;  // nullopt = 10 s
  std::optional<std::string> web;  // --web [ADDR:]PORT: serve the HTTP API (and web UI)
  bool serve = false;              // `flowline serve`: no shell, until SIGTERM/SIGINT
  bool stop_runs_on_exit = false;  // serve: a signal stops runs instead of leaving them
  bool batch = false;  // run to completion even on a terminal
  bool start = false;  // dispatch from the start (interactive; batch over a saved "off")
  // Not an option: the caller decides (stdin a terminal and no --batch) before building.
  bool interactive = false;
  bool help = false;
  // --executor local|slurm; --partition, --account, --qos, --slurm-arg for Slurm's sbatch.
  std::string executor = "local";
  SlurmOptions slurm;
  bool slurm_options_given = false;
};

// Errors say which option and the right form: "--max: expected a whole number ≥ 1, got 'x'".
Result<RunOptions> parse_run_options(const Args& args, const char* command);
std::string run_options_help(const char* command);
// An option that takes no value (--batch, --pack…), --help aside.
bool is_flag_option(const std::string& name);

// Interactive when stdin is a terminal and --batch was not given; the prompt then starts with
// dispatch stopped (the original's behaviour) unless --start.
void choose_mode(RunOptions& options);

}  // namespace flowline::cli

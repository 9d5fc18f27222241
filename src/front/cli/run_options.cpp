#include "front/cli/run_options.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <limits>

#include "core/gpu_order.hpp"
#include "front/http/http_server.hpp"

namespace flowline::cli {
namespace {

Result<int64_t> whole_number(const std::string& option, const std::string& text, int64_t min) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min)
    return Error{option + ": expected a whole number ≥ " + std::to_string(min) + ", got '" +
                 text + "'"};
  return v;
}

// "fields (asc or desc): index, free_memory, …" wrapped under --order's help, from the list the
// parser accepts (shell completions read it from here too: scripts/completions/).
std::string order_fields_help() {
  constexpr size_t kIndent = 22, kWidth = 90;
  std::string text, line = std::string(kIndent, ' ') + "fields (asc or desc):";
  const std::string fields = gpu_order_fields();
  size_t start = 0;
  while (start < fields.size()) {
    size_t end = fields.find(' ', start);
    if (end == std::string::npos) end = fields.size();
    const std::string word = fields.substr(start, end - start);
    if (line.size() + 1 + word.size() > kWidth) {
      text += line + "\n";
      line = std::string(kIndent - 1, ' ');
    }
    line += " " + word;
    start = end + 1;
  }
  return text + line + "\n";
}

// Seconds as a user writes them (decimals allowed) to milliseconds.
Result<Millis> seconds(const std::string& option, const std::string& text) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v >= 0) || v > 1e9)
    return Error{option + ": expected seconds ≥ 0 (e.g. 10 or 0.5), got '" + text + "'"};
  return static_cast<Millis>(v * 1000);
}

// "500M", "2G", "64K", "1000" (bytes) or "0" (no cap); binary units, as `ls -h` shows them.
Result<int64_t> byte_size(const std::string& option, const std::string& text) {
  const Error bad{option + ": expected a size like 500M, 2G or 0 (no limit), got '" + text + "'"};
  int64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end == text.data() || number < 0) return bad;
  std::string unit(end, text.data() + text.size());
  if (unit.size() == 3 && unit.substr(1) == "iB") unit.resize(1);  // "GiB" as "G"
  int shift = 0;
  if (unit == "K" || unit == "k") shift = 10;
  else if (unit == "M" || unit == "m") shift = 20;
  else if (unit == "G" || unit == "g") shift = 30;
  else if (unit == "T" || unit == "t") shift = 40;
  else if (!unit.empty()) return bad;
  if (number > (std::numeric_limits<int64_t>::max() >> shift)) return bad;
  return number << shift;
}

Result<std::vector<int>> gpu_list(const std::string& text) {
  std::vector<int> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    Result<int64_t> id = whole_number("--gpus", item, 0);
    if (!id.ok()) return Error{"--gpus: expected GPU indices like 0,2,3, got '" + text + "'"};
    out.push_back(static_cast<int>(*id));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// "model, dataset": column names separated by commas, blanks around them ignored.
Result<std::vector<std::string>> column_list(const std::string& option, const std::string& text) {
  std::vector<std::string> columns;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item.empty())
      return Error{option + ": expected parameter columns separated by commas, e.g. " +
                   "model,dataset, got '" + text + "'"};
    columns.push_back(item);
    if (comma == std::string::npos) return columns;
    start = comma + 1;
  }
}

// "--on-event-kinds: unknown event kind 'fail' (known: started, finished, …)".
std::string known_event_kinds() {
  std::string known;
  for (int k = 0; k <= static_cast<int>(kLastEventKind); ++k)
    known += (k ? ", " : "") + std::string(event_kind_name(static_cast<EventKind>(k)));
  return known;
}

// "failed,oom, all_done": names separated by commas, blanks around them ignored.
Result<std::set<EventKind>> event_kinds(const std::string& option, const std::string& text) {
  const std::string known = " (known: " + known_event_kinds() + ")";
  std::set<EventKind> kinds;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos
                                                                     : comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item.empty())
      return Error{option + ": expected event kinds separated by commas, e.g. failed,all_done" +
                   known + ", got '" + text + "'"};
    std::optional<EventKind> kind = event_kind_from_name(item);
    if (!kind) return Error{option + ": unknown event kind '" + item + "'" + known};
    kinds.insert(*kind);
    if (comma == std::string::npos) return kinds;
    start = comma + 1;
  }
}

// Applies one `--name value` option; false when `name` is not a valued option.
Result<bool> apply_valued(RunOptions& o, const std::string& name, const std::string& value) {
  auto number = [&](int64_t min) { return whole_number(name, value, min); };
  if (name == "--cmd") {
    o.command_template = value;
    o.command_template_given = true;
  } else if (name == "--max") {
    auto v = number(1);
    if (!v.ok()) return v.error();
    o.settings.max_running = *v;
    o.max_given = true;
  } else if (name == "--min-mem") {
    o.min_mem_given = true;
    o.settings.min_mem_auto = value == "auto";
    if (o.settings.min_mem_auto) return true;  // before any measurement: the default 10000
    auto v = number(0);
    if (!v.ok())
      return Error{name + ": expected MiB (a whole number ≥ 0) or auto, got '" + value + "'"};
    o.settings.default_min_mem_mib = *v;
  } else if (name == "--mem-group") {
    auto v = column_list(name, value);
    if (!v.ok()) return v.error();
    o.settings.mem_group_columns = *v;
  } else if (name == "--mem-margin") {
    o.settings.memory_margin_learned = value == "auto";
    if (o.settings.memory_margin_learned) return true;
    auto v = number(0);
    if (!v.ok())
      return Error{name + ": expected a percentage (a whole number ≥ 0) or auto, got '" + value +
                   "'"};
    o.settings.memory_margin_percent = *v;
  } else if (name == "--retries") {
    auto v = number(0);
    if (!v.ok()) return v.error();
    o.settings.retries = *v;
  } else if (name == "--gpus") {
    auto v = gpu_list(value);
    if (!v.ok()) return v.error();
    o.only_gpus = *v;
  } else if (name == "--retry-backoff" || name == "--oom-backoff") {
    auto v = seconds(name, value);
    if (!v.ok()) return v.error();
    (name == "--oom-backoff" ? o.settings.oom_backoff_base_ms : o.settings.retry_backoff_base_ms) = *v;
  } else if (name == "--cmd-builder-timeout") {
    auto v = seconds(name, value);
    if (!v.ok()) return v.error();
    if (*v <= 0) return Error{name + ": expected seconds > 0, got '" + value + "'"};
    o.cmd_builder_timeout_ms = *v;
  } else if (name == "--on-event-kinds") {
    auto v = event_kinds(name, value);
    if (!v.ok()) return v.error();
    o.on_event_kinds = *v;
  } else if (name == "--on-event-timeout") {
    auto v = seconds(name, value);
    if (!v.ok()) return v.error();
    if (*v <= 0) return Error{name + ": expected seconds > 0, got '" + value + "'"};
    o.on_event_timeout_ms = *v;
  } else if (name == "--log-limit") {
    auto v = byte_size(name, value);
    if (!v.ok()) return v.error();
    o.log_limit = *v;
  } else if (name == "--order") {
    o.order_text = value;
    o.order_given = true;
  }
  else if (name == "--executor") {
    if (value != "local" && value != "slurm")
      return Error{name + ": expected local or slurm, got '" + value + "'"};
    o.executor = value;
  } else if (name == "--partition" || name == "--account" || name == "--qos" ||
             name == "--slurm-arg") {
    if (value.empty()) return Error{name + ": expected a value, got an empty string"};
    o.slurm_options_given = true;
    if (name == "--partition") o.slurm.partition = value;
    else if (name == "--account") o.slurm.account = value;
    else if (name == "--qos") o.slurm.qos = value;
    else o.slurm.extra_args.push_back(value);
  }
  else if (name == "--state-dir") o.state_dir = value;
  else if (name == "--log-dir") o.log_dir = value;
  else if (name == "--sim-gpus") o.sim_gpus = value;
  else if (name == "--cmd-builder") o.cmd_builder = value;
  else if (name == "--on-event") o.on_event = value;
  else if (name == "--web") {
    if (auto address = http::parse_web_address(value); !address.ok()) return address.error();
    o.web = value;
  }
  else return false;
  return true;
}

// Whether `name` is an option that takes a value: apply_valued knows the names, and answers
// false (not an error) only for a name it does not know, whatever the value.
bool is_valued_option(const std::string& name) {
  RunOptions scratch;
  Result<bool> known = apply_valued(scratch, name, "");
  return !known.ok() || *known;
}

// The options that take no value; nullptr for any other.
bool* flag_of(RunOptions& o, const std::string& name) {
  if (name == "--help" || name == "-h") return &o.help;
  if (name == "--batch") return &o.batch;
  if (name == "--start") return &o.start;
  if (name == "--pack") return &o.settings.pack_largest_first;
  if (name == "--stop-runs-on-exit") return &o.stop_runs_on_exit;
  return nullptr;
}

// --on-event-kinds and --on-event-timeout say how to run a hook: alone they would be ignored.
Status check_on_event(const RunOptions& o) {
  if (o.on_event && o.on_event->find_first_not_of(" \t") == std::string::npos)
    return Error{"--on-event: expected a program to run, got an empty string"};
  if (o.on_event) return ok_status();
  if (o.on_event_kinds)
    return Error{std::string("--on-event-kinds needs --on-event PROGRAM: ") +
                 "it chooses which events PROGRAM is told of"};
  if (o.on_event_timeout_ms)
    return Error{std::string("--on-event-timeout needs --on-event PROGRAM: ") +
                 "it limits how long PROGRAM may take"};
  return ok_status();
}

}  // namespace

bool is_flag_option(const std::string& name) {
  RunOptions scratch;
  return name != "--help" && name != "-h" && flag_of(scratch, name) != nullptr;
}

Result<RunOptions> parse_run_options(const Args& args, const char* command) {
  RunOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string value;
    bool inline_value = false;
    if (arg.rfind("--", 0) == 0 && arg.find('=') != std::string::npos) {
      value = arg.substr(arg.find('=') + 1);
      arg = arg.substr(0, arg.find('='));
      inline_value = true;
    }
    if (bool* flag = flag_of(o, arg)) {
      if (inline_value) return Error{arg + " takes no value (got '" + arg + "=" + value + "')"};
      *flag = true;
      continue;
    }
    if (arg.rfind("-", 0) == 0) {
      if (!inline_value) {
        if (i + 1 >= args.size()) {
          if (!is_valued_option(arg))
            return Error{"unknown option '" + arg + "' (see flowline " + command + " --help)"};
          return Error{arg + ": needs a value (see flowline " + command + " --help)"};
        }
        value = args[++i];
      }
      Result<bool> applied = apply_valued(o, arg, value);
      if (!applied.ok()) return applied.error();
      if (!*applied) return Error{"unknown option '" + arg + "' (see flowline " + command + " --help)"};
      continue;
    }
    if (!o.table.empty()) return Error{"one table only: got '" + o.table + "' and '" + arg + "'"};
    o.table = arg;
  }
  if (o.command_template_given && o.cmd_builder)
    return Error{"--cmd and --cmd-builder exclude each other: give the template or the program "
                 "that builds each command, not both"};
  if (o.cmd_builder && o.cmd_builder->find_first_not_of(" \t") == std::string::npos)
    return Error{"--cmd-builder: expected a program to run, got an empty string"};
  if (Status hooks = check_on_event(o); !hooks.ok()) return hooks.error();
  if (o.slurm_options_given && o.executor != "slurm")
    return Error{"--partition, --account, --qos and --slurm-arg are sbatch's: they need "
                 "--executor slurm"};
  if (o.stop_runs_on_exit && std::string(command) != "serve")
    return Error{"--stop-runs-on-exit is an option of `flowline serve` (flowline run stops its "
                 "runs on SIGTERM already)"};
  o.serve = std::string(command) == "serve";
  if (o.table.empty() && !o.help) return Error{std::string("usage: flowline ") + command + " TABLE [options] (see --help)"};
  return o;
}

std::string run_options_help(const char* command) {
  const bool serve = std::string(command) == "serve";
  return std::string("usage: flowline ") + command + " TABLE [options]\n\n" +
         "Runs every row of TABLE (.csv, .json or .xlsx) until it has need_run_num successful\n"
         "runs, on GPUs with enough free memory.\n" +
         (serve ? "As a service: no shell; it keeps running when the table is done (add rows to\n"
                  "the file, or POST /api/v1/tasks), logs to stderr and to STATE_DIR/flowline.log,\n"
                  "serves the HTTP API on 127.0.0.1:5000 (or --web) and prints its URL with the\n"
                  "access token. SIGTERM or SIGINT ends it and leaves runs running: the next start\n"
                  "re-adopts them (a service restart must not kill a three-day training run).\n"
                : "") +
         "\n"
         "options:\n"
         "  --cmd TEMPLATE      command per run (default '{cmd} {args}'; see flowline check --help)\n"
         "  --cmd-builder PROG  run PROG (by /bin/sh) for each launch: the task and its GPUs as JSON\n"
         "                      on stdin, the command on stdout (README: Programmable commands)\n"
         "  --cmd-builder-timeout S  how long PROG may take (default 10)\n"
         "  --on-event PROG     run PROG (by /bin/sh) for each chosen event, the event as one\n"
         "                      line of JSON on stdin, e.g. to send mail (README: Being told\n"
         "                      when something happens)\n"
         "  --on-event-kinds K,K  which events (default failed,oom,lost,all_done; also started,\n"
         "                      finished, requeued, task_added, task_changed, task_dropped,\n"
         "                      gpu_sample, setting, notice)\n"
         "  --on-event-timeout S  how long PROG may take per event (default 10; then SIGTERM,\n"
         "                      SIGKILL 2 s later)\n"
         "  --max N             at most N runs at once (default 4)\n"
         "  --min-mem MIB       free MiB a GPU needs for a task without min_mem (default 10000)\n"
         "  --min-mem auto      size each task without min_mem from measurement: the peak of\n"
         "                      its earlier runs, else of its --mem-group, plus --mem-margin,\n"
         "                      rounded up to 100 MiB; 10000 before any run is measured\n"
         "                      (a row's min_mem may say auto too)\n"
         "  --mem-group COLS    tasks with equal values in these parameter columns (e.g.\n"
         "                      model,dataset) are assumed to need equal GPU memory\n"
         "  --mem-margin PCT    added to a measured peak, as given (default: auto)\n"
         "  --mem-margin auto   10 % until 3 runs of a --mem-group are measured, then twice\n"
         "                      the spread of their peaks, between 2 and 10 %\n"
         "  --gpus 0,2          use only these GPUs (the others start disabled)\n"
         "  --order KEYS        GPU preference, e.g. 'free_memory desc, utilization asc';\n"
         + order_fields_help() +
         "  --pack              among tasks of equal priority, start the ones needing the most\n"
         "                      GPU memory (gpus x min_mem) first: a mixed table finishes sooner,\n"
         "                      but rows no longer start in table order (default: table order)\n"
         "  --retries N         retries after a real failure (default 2; OOM is not counted)\n"
         "  --retry-backoff S   first wait before a retry, doubling each time (default 1)\n"
         "  --oom-backoff S     first wait after an out-of-memory death, doubling (default 10)\n"
         "  --state-dir DIR     database, run records and locks; it belongs to one table\n"
         "                      (default .flowline/<table file name>, one per table)\n"
         "  --log-dir DIR       one NAME.out and NAME.err per run\n"
         "                      (default log/<table file name>)\n"
         "  --log-limit SIZE    the most each run's .out and .err keep, e.g. 500M or 2G (default\n"
         "                      1G; 0 = no limit); the rest is dropped, with one line at the end\n"
         "                      of the log saying how much, and the run goes on\n"
         "  --sim-gpus SPEC     simulated GPUs, e.g. 4x24000 or 2x24000,1x80000\n"
         "  --executor slurm    run each run as a Slurm job (sbatch) instead of a local process;\n"
         "                      Slurm chooses the GPUs (min_mem, --order, --gpus do not apply)\n"
         "                      and the state directory must be on a filesystem the nodes share\n"
         "                      (README: Slurm). Default: local\n"
         "  --partition P, --account A, --qos Q   given to sbatch\n"
         "  --slurm-arg ARG     one more sbatch argument, e.g. --slurm-arg=--mem=16G (repeatable)\n"
         "  --web [ADDR:]PORT   serve the HTTP API on PORT (0 = any free port) of 127.0.0.1, or\n"
         "                      of ADDR (0.0.0.0 = every address: a warning is printed); every\n"
         "                      request needs the token in STATE_DIR/http-token (flowline token)\n" +
         (serve ? "  --stop-runs-on-exit on SIGTERM/SIGINT, stop the runs instead of leaving them\n"
                : "  --batch             run to completion even when stdin is a terminal\n") +
         "  --start             interactive: start dispatching at once; batch and serve:\n"
         "                      dispatch even when `run off` was saved by the last session\n\n"
         "max, min, order, disabled GPUs and dispatch on/off set while running (`max 3`...)\n"
         "are saved in the state directory and apply again at the next start; an option\n"
         "given here wins over the saved setting (and says so).\n\n"
         "exit status: 0 every task done, 1 some task failed or can never run, 2 bad input,\n" +
         (serve ? "0 after SIGTERM/SIGINT.\n" : "130 stopped by SIGINT/SIGTERM (runs are stopped first).\n");
}

void choose_mode(RunOptions& options) {
  options.interactive = !options.batch && !options.serve && isatty(STDIN_FILENO);
  options.settings.dispatching = !options.interactive || options.start;
}

}  // namespace flowline::cli

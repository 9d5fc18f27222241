#include "front/shell/command_interpreter.hpp"

#include <cctype>
#include <charconv>
#include <optional>

#include "front/json/engine_json.hpp"
#include "front/shell/command_spec.hpp"
#include "front/shell/listings.hpp"
#include "front/shell/log_tail.hpp"
#include "front/shell/text_width.hpp"

namespace flowline::shell {

static constexpr size_t kLogTailLines = 20;

// Quotes ('…' or "…") keep spaces in a word, for `add name='big run'`; they are removed.
std::vector<std::string> split_words(const std::string& line) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i == line.size()) break;
    std::string word;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) {
      const char c = line[i++];
      if (c != '\'' && c != '"') {
        word += c;
        continue;
      }
      const size_t close = line.find(c, i);
      const size_t end = close == std::string::npos ? line.size() : close;
      word += line.substr(i, end - i);
      i = close == std::string::npos ? end : close + 1;
    }
    words.push_back(std::move(word));
  }
  return words;
}

static std::optional<int64_t> parse_int(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

static CommandOutcome outcome(bool ok, std::string text) {
  if (!text.empty() && text.back() != '\n') text += '\n';
  CommandOutcome out;
  out.ok = ok;
  out.text = std::move(text);
  return out;
}
static CommandOutcome success(std::string text) { return outcome(true, std::move(text)); }
static CommandOutcome refusal(std::string text) { return outcome(false, std::move(text)); }

// The one line a refused command prints: the right form, from the command's spec.
static CommandOutcome usage(const std::string& name, const std::string& extra = "") {
  const CommandSpec* spec = find_command(name);
  return refusal(std::string("usage: ") + (spec ? spec->usage : name.c_str()) + extra);
}

// The listing that shows the ids a command takes, for the hint after an id that does not exist.
static const char* listing_of_ids(const std::string& command) {
  if (command == "kill") return "ls";
  if (command == "gpu" || command == "killgpu") return "gpus";
  if (command == "drop" || command == "retry" || command == "copy") return "task";
  return nullptr;
}

// The engine's words are neutral (HTTP shows them too); the shell adds its own hints.
static CommandOutcome from_result(const std::string& command, const Result<std::string>& r) {
  if (r.ok()) return success(r.value());
  const char* listing = listing_of_ids(command);
  if (r.error().kind == ErrorKind::kNotFound && listing)
    return refusal(r.error().message + " (see `" + listing + "`)");
  return refusal(r.error().message);
}

CommandOutcome CommandInterpreter::execute_line(const std::string& line, const Presentation& how) {
  return execute(split_words(line), how);
}

CommandOutcome CommandInterpreter::execute(const Argv& argv, const Presentation& how) {
  if (argv.empty()) return success("");
  const std::string& name = argv[0];
  Argv args(argv.begin() + 1, argv.end());
  if (name == "run") return run_toggle(args);
  if (name == "gpu" || name == "killgpu") return gpu_command(name, args);
  if (name == "kill") return kill_run(args);
  if (name == "max" || name == "min") return number_setting(name, args);
  if (name == "drop" || name == "retry") return task_command(name, args);
  if (name == "add" || name == "copy" || name == "reload") return table_command(name, args);
  if (name == "order") return order(args);
  if (name == "logs") return logs(args);
  if (name == "ls" || name == "gpus" || name == "task" || name == "status")
    return listing(name, args, how);
  if (name == "exit" || name == "quit") return exit_command(args);
  if (name == "stop") return stop_command(args);
  if (name == "help" || name == "?") {
    CommandOutcome out = help(args);
    out.text = wrap_lines(out.text, how.width);
    return out;
  }
  return refusal("unknown command '" + one_line(name) + "' (type `help` for the list)");
}

CommandOutcome CommandInterpreter::run_toggle(const Argv& args) {
  if (args.size() > 1) return usage("run");
  bool on = !engine_.snapshot()->settings.dispatching;
  if (args.size() == 1) {
    if (args[0] != "on" && args[0] != "off") return usage("run");
    on = args[0] == "on";
  }
  return from_result("run", engine_.set_dispatching(on));
}

CommandOutcome CommandInterpreter::gpu_command(const std::string& name, const Argv& args) {
  std::optional<int64_t> id = args.size() == 1 ? parse_int(args[0]) : std::nullopt;
  if (!id || *id < 0 || *id > 1'000'000) return usage(name);
  int gpu = static_cast<int>(*id);
  return from_result(name, name == "gpu" ? engine_.toggle_gpu(gpu) : engine_.kill_gpu(gpu));
}

CommandOutcome CommandInterpreter::kill_run(const Argv& args) {
  std::optional<int64_t> id = args.size() == 1 ? parse_int(args[0]) : std::nullopt;
  if (!id || *id < 0) return usage("kill");
  return from_result("kill", engine_.kill_run(*id));
}

CommandOutcome CommandInterpreter::number_setting(const std::string& name, const Argv& args) {
  const SchedulerSettings settings = engine_.snapshot()->settings;
  int64_t now = name == "max" ? settings.max_running : settings.default_min_mem_mib;
  if (name == "min" && args.size() == 1 && args[0] == "auto")
    return from_result(name, engine_.set_min_mem_auto());
  std::optional<int64_t> n = args.size() == 1 ? parse_int(args[0]) : std::nullopt;
  bool valid = n && (name == "max" ? *n >= 1 : *n >= 0);
  if (!valid) return usage(name, "; now " + std::to_string(now));
  return from_result(name, name == "max" ? engine_.set_max(*n) : engine_.set_min_mem(*n));
}

CommandOutcome CommandInterpreter::task_command(const std::string& name, const Argv& args) {
  std::optional<int64_t> id = args.size() == 1 ? parse_int(args[0]) : std::nullopt;
  if (!id || *id < 0) return usage(name);
  return from_result(name, name == "drop" ? engine_.drop_task(*id) : engine_.retry_task(*id));
}

// `add k=v…`, `copy <task> [k=v…]`, `reload`: the table file stays the one source of tasks.
CommandOutcome CommandInterpreter::table_command(const std::string& name, const Argv& args) {
  if (name == "reload") {
    return args.empty() ? from_result(name, engine_.reload_table()) : usage(name);
  }
  size_t first_cell = 0;
  std::optional<int64_t> task;
  if (name == "copy") {
    task = args.empty() ? std::nullopt : parse_int(args[0]);
    if (!task || *task < 0) return usage(name);
    first_cell = 1;
  }
  NewRowCells cells;
  for (size_t i = first_cell; i < args.size(); ++i) {
    const size_t eq = args[i].find('=');
    if (eq == std::string::npos || eq == 0)
      return usage(name, " (expected column=value, got '" + one_line(args[i]) + "')");
    cells.emplace_back(args[i].substr(0, eq), args[i].substr(eq + 1));
  }
  if (name == "add" && cells.empty()) return usage(name);
  return from_result(name,
                     name == "add" ? engine_.add_task(cells) : engine_.copy_task(*task, cells));
}

CommandOutcome CommandInterpreter::order(const Argv& args) {
  if (args.empty()) {
    std::string now = engine_.snapshot()->order;
    return usage("order", "; now " + (now.empty() ? std::string("default") : now));
  }
  std::string keys;
  for (const auto& a : args) {
    if (!keys.empty()) keys += " ";
    keys += a;
  }
  return from_result("order", engine_.set_order(keys));
}

static std::string file_section(const std::string& path) {
  // A run that has not written anything yet may not have its file yet: not an error.
  if (!file_exists(path)) return "==> " + path + " <==\n(nothing written yet)\n";
  auto tail = tail_lines(path, kLogTailLines);
  std::string body = tail.ok() ? tail.value() : "(" + tail.error().message + ")\n";
  return "==> " + path + " <==\n" + body;
}

CommandOutcome CommandInterpreter::logs(const Argv& args) {
  bool follow = args.size() == 2 && args[1] == "-f";
  std::optional<int64_t> id = !args.empty() ? parse_int(args[0]) : std::nullopt;
  if (!id || args.size() > 2 || (args.size() == 2 && !follow)) return usage("logs");
  if (follow && surface_ == Surface::kCtl)
    return refusal("logs -f follows only in the interactive shell; over ctl, run `logs " + args[0] +
                   "` and `tail -f` the paths it prints");
  auto snap = engine_.snapshot();
  for (const auto& run : snap->runs) {
    if (run.run_id != *id) continue;
    std::string text = file_section(run.out_path);
    if (run.err_path != run.out_path) text += file_section(run.err_path);
    CommandOutcome out = success(text);
    if (follow) out.follow_up = FollowUp::kFollowLogs, out.run = run;
    return out;
  }
  // An ended run: its files are still in the log directory (the original showed only live
  // runs, so a failure's output had to be looked for by hand).
  const std::vector<std::string> files = run_log_files(snap->log_dir, *id);
  if (files.empty())
    return refusal("no run " + std::to_string(*id) + " (run ids: see ls, or the log directory " +
                   (snap->log_dir.empty() ? std::string("log/") : snap->log_dir) + ")");
  std::string text;
  for (const auto& path : files) text += file_section(path);
  if (follow) text += "run " + std::to_string(*id) + " has ended: nothing more to follow\n";
  return success(text);
}

CommandOutcome CommandInterpreter::listing(const std::string& name, const Argv& args,
                                           const Presentation& how) {
  bool json = args.size() == 1 && args[0] == "--json";
  if (!args.empty() && !json) return usage(name);
  auto snap = engine_.snapshot();
  if (json && name == "gpus") return success(gpus_json(*snap).dump(2));  // keeps index order
  if (json && name == "task") return success(json::tasks_text(*snap));
  if (json) {
    nlohmann::json doc = name == "ls" ? json::live_runs(*snap) : json::status(*snap);
    return success(doc.dump(2));
  }
  if (name == "ls") return success(runs_text(*snap, how));
  if (name == "gpus") return success(gpus_text(*snap, how));
  if (name == "task") return success(tasks_text(*snap, how));
  return success(status_text(*snap, how));
}

CommandOutcome CommandInterpreter::exit_command(const Argv& args) {
  if (!args.empty()) return usage("exit");
  if (surface_ == Surface::kCtl)
    return refusal(
        "exit leaves the interactive shell; to stop this instance use `stop` "
        "(or `stop --leave-runs`)");
  CommandOutcome out = success("");
  out.follow_up = FollowUp::kAskExit;
  return out;
}

CommandOutcome CommandInterpreter::stop_command(const Argv& args) {
  bool leave = args.size() == 1 && args[0] == "--leave-runs";
  if (!args.empty() && !leave) return usage("stop");
  engine_.request_stop(leave ? StopMode::kLeaveRuns : StopMode::kStopRuns);
  CommandOutcome out = success(leave ? "stopping; runs left running for a later `flowline run`"
                                     : "stopping, and stopping its runs");
  out.follow_up = FollowUp::kStopped;
  return out;
}

CommandOutcome CommandInterpreter::help(const Argv& args) const {
  if (args.size() > 1) return usage("help");
  if (args.size() == 1) {
    const CommandSpec* spec = find_command(args[0] == "?" ? "help" : args[0]);
    if (!spec) return refusal("no command '" + one_line(args[0]) + "' (type `help` for the list)");
    return success(std::string("usage: ") + spec->usage + "\n" + spec->summary + ".\n" +
                   spec->details);
  }
  std::string out = "commands (help <command> for details; listings take --json):\n";
  for (const auto& spec : command_specs())
    out += "  " + pad_right(spec.name, 9) + spec.summary + "\n";
  return success(out);
}

}  // namespace flowline::shell

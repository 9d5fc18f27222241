// `flowline check TABLE [--cmd TEMPLATE | --cmd-builder PROGRAM] [--json]`: validate a table and
// show, for every task, the command FlowLine would run, without touching any GPU.
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/command_program.hpp"
#include "core/command_template.hpp"
#include "core/task_table.hpp"
#include "engine/program_command_builder.hpp"
#include "front/cli/commands.hpp"
#include "front/cli/option_parser.hpp"
#include "front/shell/text_width.hpp"
#include "table/table_file.hpp"

namespace flowline::cli {
namespace {

constexpr const char* kTemplateHelp =
    "The command template (--cmd, default '{cmd} {args}') knows:\n"
    "  {args}       every non-empty parameter as --key value, in column order, shell-quoted\n"
    "  {<column>}   that column's value, shell-quoted (e.g. {lr}, {seed}, {min_mem})\n"
    "  {cmd}        the row's cmd column, inserted as shell code (unquoted)\n"
    "  {name}       the task's name, shell-quoted\n"
    "  {gpu}        the first GPU assigned to the run    {gpus}  all of them, e.g. 0,1\n"
    "  {task_id}    the 0-based row index                {run}   run_num + 1\n"
    "  {{ and }}    literal braces\n"
    "check shows {gpu} as 0 and {gpus} as 0,1,... for as many GPUs as the task asks.\n\n"
    "Reserved columns: name, run_num, need_run_num, cmd, gpus (0 = CPU only), min_mem (MiB),\n"
    "priority (higher first), timeout (seconds); every other column is a parameter.\n\n"
    "Exit status: 0 the table is valid, 2 it is not (each fault named as FILE:ROW:COLUMN) or a\n"
    "command cannot be built.\n\n"
    "examples:\n"
    "  flowline check todo.csv\n"
    "  flowline check grid.xlsx --cmd 'python train.py {args} --out runs/{task_id}/{run}'\n"
    "  flowline check todo.json --json | jq '.[].command'\n";

OptionParser check_parser() {
  OptionParser parser("flowline check", "TABLE [--cmd TEMPLATE | --cmd-builder PROGRAM] [--json]");
  parser.value("--cmd", "TEMPLATE", "command template (default '{cmd} {args}')")
      .value("--cmd-builder", "PROGRAM",
             "build each command with PROGRAM, as `flowline run` would (README: Programmable "
             "commands)")
      .flag("--json", "print the tasks as a JSON array")
      .positionals(1, 1)
      .epilog(kTemplateHelp);
  return parser;
}

// The placement check pretends to have: GPUs 0..n-1.
std::vector<int> sample_gpus(int64_t count) {
  std::vector<int> gpus;
  for (int64_t i = 0; i < count; ++i) gpus.push_back(static_cast<int>(i));
  return gpus;
}

int64_t next_run(const Task& task) {
  return task.run_num < std::numeric_limits<int64_t>::max() ? task.run_num + 1 : task.run_num;
}

nlohmann::ordered_json task_json(const Task& task, const Result<std::string>& command) {
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  for (const auto& [key, value] : task.params) params[key] = value;
  nlohmann::ordered_json timeout = nullptr;
  if (task.timeout_ms) {
    // Whole seconds stay integers (90, not 90.0); fractions become a decimal number.
    if (*task.timeout_ms % 1000 == 0) {
      timeout = *task.timeout_ms / 1000;
    } else {
      timeout = static_cast<double>(*task.timeout_ms) / 1000.0;
    }
  }
  nlohmann::ordered_json j;
  j["task_id"] = task.id;
  j["name"] = task.name;
  j["run_num"] = task.run_num;
  j["need_run_num"] = task.need_run_num;
  j["gpus"] = task.gpus;
  j["min_mem"] = task.min_mem        ? nlohmann::ordered_json(*task.min_mem)
                 : task.min_mem_auto ? nlohmann::ordered_json("auto")
                                     : nullptr;
  j["priority"] = task.priority;
  j["timeout"] = timeout;
  j["params"] = std::move(params);
  if (command) {
    j["command"] = *command;
  } else {
    j["command"] = nullptr;
    j["error"] = command.error().message;
  }
  return j;
}

// Built with += rather than "literal" + string&&, which trips GCC 12's -Wrestrict (PR 105329).
std::string task_block(const Task& task, const Result<std::string>& command) {
  std::string text = "#";
  text += std::to_string(task.id);
  text += "  ";
  text += shell::one_line(task.name);  // table text never reaches the terminal raw
  text += "\n    runs ";
  text += std::to_string(task.run_num);
  text += '/';
  text += std::to_string(task.need_run_num);
  text += "   gpus ";
  text += task.gpus == 0 ? std::string("0 (CPU only)") : std::to_string(task.gpus);
  text += "   min_mem ";
  text += task.min_mem        ? std::to_string(*task.min_mem) + " MiB"
          : task.min_mem_auto ? std::string("auto (learned from measured runs)")
                              : std::string("default");
  text += "   priority ";
  text += std::to_string(task.priority);
  text += "   timeout ";
  text += task.timeout_ms ? timeout_seconds_text(*task.timeout_ms) + " s" : std::string("none");
  text += command ? "\n    $ " : "\n    ! cannot build the command: ";
  text += command ? shell::one_line(*command) : shell::one_line(command.error().message);
  text += '\n';
  if (command && task.remaining_runs() > 0) {
    if (auto why = missing_program(*command)) text += "    ! no program: " + *why + "\n";
  }
  return text;
}

void write_out(std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); }

}  // namespace

int check_main(const Args& args) {
  const OptionParser parser = check_parser();
  auto options = parser.parse(args);
  if (!options) {
    std::fprintf(stderr, "%s\n", options.error().message.c_str());
    return kExitBadInput;
  }
  if (options->help) {
    write_out("Validate a task table and print every task with its expanded command.\n\n" +
              parser.help_text());
    return kExitOk;
  }
  const std::string& path = options->positionals.front();
  const bool json = options->has("--json");
  const std::string template_text =
      options->value("--cmd").value_or(std::string(kDefaultCommandTemplate));

  // The fast path streams rows into tasks; only a table that fails is read again as plain
  // cells, for its header, so one run reports a bad table and a bad template together.
  auto loaded = load_task_table(path);
  if (!loaded) std::fprintf(stderr, "%s\n", shell::visible_lines(loaded.error().message).c_str());
  std::vector<std::string> columns;
  if (loaded) {
    columns = loaded->columns;
  } else {
    auto table = read_table(path);
    if (!table) return kExitBadInput;  // unreadable: the message above says why
    columns = std::move(table->columns);
  }
  const std::vector<Task>* tasks = loaded ? &loaded->tasks : nullptr;
  const std::optional<std::string> program = options->value("--cmd-builder");
  if (program && options->value("--cmd")) {
    std::fprintf(stderr, "flowline check: --cmd and --cmd-builder exclude each other\n");
    return kExitBadInput;
  }
  auto command = CommandTemplate::parse(template_text, columns);
  if (!command) {
    std::fprintf(stderr, "flowline check: --cmd: %s\n", command.error().message.c_str());
  }
  if (!tasks || !command) return kExitBadInput;
  std::unique_ptr<CommandBuilder> builder;
  if (program) {
    ProgramBuilderOptions builder_options;
    builder_options.program = *program;
    builder_options.columns = columns;
    builder = std::make_unique<ProgramCommandBuilder>(std::move(builder_options));
  } else {
    builder = std::make_unique<TemplateCommandBuilder>(*command);
  }
  bool all_built = true;
  MissingPrograms missing;  // a warning: `run --cmd-builder` may still give them a program
  auto build = [&](const Task& task) {
    Result<std::string> line = builder->build(task, sample_gpus(task.gpus), next_run(task));
    if (!line) {
      all_built = false;
      std::fprintf(stderr, "flowline check: task %lld (%s): %s\n", (long long)task.id,
                   shell::one_line(task.name).c_str(),
                   shell::visible_lines(line.error().message).c_str());
    } else if (auto why = missing_program(*line); why && task.remaining_runs() > 0) {
      if (missing.count++ == 0) {
        missing.first_id = task.id;
        missing.first_name = task.name;
        missing.first_command = *line;
        missing.why = *why;
      }
    }
    return line;
  };
  if (std::string note = placeholder_cmd_note(*tasks); !note.empty())
    std::fprintf(stderr, "flowline check: note: %s\n", note.c_str());
  auto warn = [&] {
    if (missing.count == 0) return;
    std::fprintf(stderr, "flowline check: warning: %s\n",
                 shell::one_line(missing_programs_text(missing, tasks->size())).c_str());
  };

  // Written task by task: a 100,000-row table must not need its whole output in memory.
  if (json) {
    write_out("[");
    bool first = true;
    for (const Task& task : *tasks) {
      const Result<std::string> line = build(task);
      // One object per line; invalid UTF-8 from the table is replaced rather than thrown on.
      write_out(first ? "\n  " : ",\n  ");
      write_out(task_json(task, line)
                    .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
      first = false;
    }
    write_out(tasks->empty() ? "]\n" : "\n]\n");
    warn();
    return all_built ? kExitOk : kExitBadInput;
  }
  write_out(path + ": " + std::to_string(tasks->size()) + " task" +
            (tasks->size() == 1 ? "" : "s") + ", valid; " +
            (program ? "command builder '" + *program : "command template '" + command->text()) +
            "'\n");
  for (const Task& task : *tasks) {
    write_out("\n");
    write_out(task_block(task, build(task)));
  }
  warn();
  return all_built ? kExitOk : kExitBadInput;
}

}  // namespace flowline::cli

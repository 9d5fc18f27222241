// `flowline ctl [--table TABLE | --state-dir DIR] COMMAND...`: one shell command sent to a
// running instance.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>

#include "front/app/table_lock.hpp"
#include "front/cli/commands.hpp"
#include "front/ctl/ctl_client.hpp"
#include "front/ctl/find_instance.hpp"
#include "front/shell/style.hpp"
#include "front/shell/terminal_width.hpp"

namespace flowline::cli {

static const char* kCtlHelp =
    "usage: flowline ctl [--table TABLE | --state-dir DIR] COMMAND [ARGS...]\n\n"
    "Sends one shell command (ls, gpus, task, status, kill 3, max 4, run, stop, …) to a\n"
    "running FlowLine and prints what the shell would print. `flowline ctl help` lists the\n"
    "commands. Over ctl, `exit` is `stop` (stops the instance and its runs) or\n"
    "`stop --leave-runs`, and `logs -f` is not available.\n\n"
    "Which FlowLine:\n"
    "  --table TABLE    the one running TABLE, whatever its state directory\n"
    "  --state-dir DIR  the one with state directory DIR\n"
    "  neither          the one running in this directory (in .flowline/*/); when several\n"
    "                   run here, ctl lists them and asks for --table\n\n"
    "exit status: 0 done, 1 refused (bad arguments, unknown id, unsafe socket, several\n"
    "             instances and none chosen), 2 bad option or missing table,\n"
    "             3 no instance is running\n";

struct CtlArgs {
  std::optional<std::string> state_dir;
  std::optional<std::string> table;
  std::vector<std::string> command;
  bool help = false;
};

static const char* kCtlUsage =
    "usage: flowline ctl [--table TABLE | --state-dir DIR] COMMAND [ARGS...]  (e.g. flowline "
    "ctl ls)";

// `--name VALUE` or `--name=VALUE` at args[i] (i moves past the value); false if not `name`.
static Result<bool> take_value(const Args& args, size_t& i, const std::string& name,
                               const char* what, std::optional<std::string>& into) {
  if (args[i] == name) {
    if (i + 1 == args.size()) return Error{"flowline ctl: " + name + " needs " + what};
    into = args[++i];
    return true;
  }
  if (args[i].rfind(name + "=", 0) != 0) return false;
  into = args[i].substr(name.size() + 1);
  return true;
}

static Result<CtlArgs> parse_ctl_args(const Args& args) {
  CtlArgs out;
  size_t i = 0;
  for (; i < args.size() && args[i].rfind("-", 0) == 0; ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      out.help = true;
      continue;
    }
    Result<bool> dir = take_value(args, i, "--state-dir", "a directory", out.state_dir);
    if (!dir.ok()) return dir.error();
    if (*dir) continue;
    Result<bool> table = take_value(args, i, "--table", "a table file", out.table);
    if (!table.ok()) return table.error();
    if (!*table)
      return Error{"flowline ctl: unknown option '" + args[i] + "' (see flowline ctl --help)"};
  }
  out.command.assign(args.begin() + static_cast<long>(i), args.end());
  if (out.command.empty() && !out.help) return Error{kCtlUsage};
  if (out.table && out.state_dir)
    return Error{"flowline ctl: give --table or --state-dir, not both (either one finds it)"};
  return out;
}

static ctl::InstanceSearch find_instance(const CtlArgs& args) {
  std::error_code ec;
  std::string cwd = std::filesystem::current_path(ec).string();
  if (!args.table) return ctl::find_instance_here(cwd);
  // Without a usable lock directory the table's own state directories are still looked at.
  Result<std::vector<std::string>> lock_dirs = table_lock_dirs();
  return ctl::find_instance_of_table(*args.table, cwd,
                                     lock_dirs.ok() ? *lock_dirs : std::vector<std::string>{});
}

// The state directory of the instance to talk to, or the exit status when there is none.
static std::variant<std::string, int> instance_dir(const CtlArgs& args) {
  if (args.state_dir) return *args.state_dir;
  ctl::InstanceSearch found = find_instance(args);
  using Found = ctl::InstanceSearch::Found;
  if (found.found == Found::kOne) return found.state_dir;
  std::fprintf(stderr, "%s%s", found.message.c_str(),
               found.message.empty() || found.message.back() == '\n' ? "" : "\n");
  switch (found.found) {
    case Found::kSeveral:
      return kExitFailed;
    case Found::kBadTable:
      return kExitBadInput;
    default:
      return kExitNoInstance;
  }
}

static int exit_status(ctl::CtlStatus status) {
  switch (status) {
    case ctl::CtlStatus::kOk:
      return kExitOk;
    case ctl::CtlStatus::kNoInstance:
      return kExitNoInstance;
    default:
      return kExitFailed;
  }
}

int ctl_main(const Args& args) {
  auto parsed = parse_ctl_args(args);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n", parsed.error().message.c_str());
    return kExitBadInput;
  }
  if (parsed->help) {
    std::fputs(kCtlHelp, stdout);
    return kExitOk;
  }
  std::variant<std::string, int> dir = instance_dir(*parsed);
  if (const int* code = std::get_if<int>(&dir)) return *code;
  ctl::CtlRequest request{parsed->command, shell::terminal_width(1), shell::colour_wanted(1)};
  ctl::CtlAnswer answer = ctl::ctl_call(std::get<std::string>(dir), request);
  bool ok = answer.status == ctl::CtlStatus::kOk;
  std::fputs(answer.output.c_str(), ok ? stdout : stderr);
  std::fflush(ok ? stdout : stderr);
  return exit_status(answer.status);
}

}  // namespace flowline::cli

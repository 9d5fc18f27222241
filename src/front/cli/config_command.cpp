// `flowline config [TABLE]`: which option defaults are in force and where each came from
// (front/cli/option_defaults.hpp).
#include <sys/stat.h>

#include <cstdio>
#include <map>

#include "front/cli/commands.hpp"
#include "front/cli/option_defaults.hpp"

namespace flowline::cli {
namespace {

constexpr const char* kUsage =
    "usage: flowline config [TABLE]\n\n"
    "Shows the option defaults in force for `flowline run TABLE` and `flowline serve TABLE`,\n"
    "and the file and line each comes from. Defaults are kept in two files, each line\n"
    "`option = value` with an option's long name, `#` for comments:\n"
    "  $XDG_CONFIG_HOME/flowline/config   yours (~/.config/flowline/config)\n"
    "  flowline.conf beside TABLE         the project's; wins over yours\n"
    "For example:\n"
    "  max = 8\n"
    "  min-mem = auto\n"
    "  order = free_memory desc, utilization asc\n"
    "  pack = true\n"
    "The command line wins over both; settings a session saved (the shell's `max 8`) win\n"
    "over the files.\n";

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

int config_main(const Args& args) {
  if (args.size() > 1 || (args.size() == 1 && (args[0] == "--help" || args[0] == "-h"))) {
    std::fputs(kUsage, args.size() == 1 ? stdout : stderr);
    return args.size() == 1 ? kExitOk : kExitBadInput;
  }
  const std::string table = args.empty() ? "" : args[0];
  const std::vector<std::string> files = option_default_files(table);
  Result<std::vector<OptionDefault>> defaults = read_option_defaults(files, "serve");
  if (!defaults.ok()) {
    std::fprintf(stderr, "flowline config: %s\n", defaults.error().message.c_str());
    return kExitBadInput;
  }
  for (const std::string& file : files) {
    int n = 0;
    for (const OptionDefault& d : *defaults) n += d.file == file;
    std::printf("%s: %s\n", file.c_str(),
                !exists(file) ? "no such file"
                : n == 0      ? "no settings"
                              : (std::to_string(n) + (n == 1 ? " setting" : " settings")).c_str());
  }
  if (table.empty()) std::printf("(name a TABLE to see its project's flowline.conf too)\n");
  std::map<std::string, const OptionDefault*> last;  // the one in force per option
  for (const OptionDefault& d : *defaults) last[d.option] = &d;
  if (defaults->empty()) {
    std::printf("\nno defaults set: every option has its built-in default (flowline run --help)\n");
    return kExitOk;
  }
  std::printf("\n");
  for (const OptionDefault& d : *defaults) {
    const std::string setting = d.option.substr(2) + (d.flag ? " = true" : " = " + d.value);
    const std::string from = d.file + ":" + std::to_string(d.line);
    const OptionDefault* winner = last[d.option];
    if (winner == &d)
      std::printf("%-40s %s\n", setting.c_str(), from.c_str());
    else
      std::printf("%-40s %s (replaced by %s:%d)\n", setting.c_str(), from.c_str(),
                  winner->file.c_str(), winner->line);
  }
  return kExitOk;
}

}  // namespace flowline::cli

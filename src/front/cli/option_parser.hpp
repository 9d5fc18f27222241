#pragma once
// A small option parser shared by the subcommands, so every command takes `--opt VALUE`,
// `--opt=VALUE`, flags, `--` and `--help` the same way and words its errors the same way:
//   flowline check: option '--cmd' needs a value
//   usage: flowline check TABLE [--cmd TEMPLATE] [--json]
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "front/cli/commands.hpp"

namespace flowline::cli {

struct ParsedOptions {
  bool help = false;                          // --help / -h was given; print help_text() and exit 0
  std::map<std::string, std::string> values;  // "--cmd" -> "{cmd} {args}"
  std::set<std::string> flags;                // "--json"
  std::vector<std::string> positionals;

  bool has(const std::string& flag) const { return flags.count(flag) > 0; }
  std::optional<std::string> value(const std::string& option) const;
};

class OptionParser {
 public:
  // `command` as in "flowline check"; `usage` the one-line synopsis after it.
  OptionParser(std::string command, std::string usage);

  OptionParser& flag(std::string name, std::string help);
  OptionParser& value(std::string name, std::string value_name, std::string help);
  // Positional arguments: exactly `min`..`max` of them.
  OptionParser& positionals(size_t min, size_t max);
  // Free text printed after the option list by help_text() (templates, examples…).
  OptionParser& epilog(std::string text);

  // The error message is complete: "<command>: <problem>\nusage: <command> <usage>".
  Result<ParsedOptions> parse(const Args& args) const;
  std::string help_text() const;
  std::string usage_line() const;

 private:
  struct Spec {
    std::string name;
    bool takes_value = false;
    std::string value_name;
    std::string help;
  };
  const Spec* find(const std::string& name) const;
  Error error(const std::string& problem) const;

  std::string command_;
  std::string usage_;
  std::string epilog_;
  std::vector<Spec> specs_;
  size_t min_positionals_ = 0;
  size_t max_positionals_ = 0;
};

}  // namespace flowline::cli

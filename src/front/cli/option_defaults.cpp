#include "front/cli/option_defaults.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace flowline::cli {
namespace {

namespace fs = std::filesystem;

std::string trimmed(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r") - begin + 1);
}

// A value a flag accepts in a file: true turns it on, false leaves the default (off).
Result<bool> flag_value(const std::string& value) {
  if (value == "true" || value == "yes" || value == "1") return true;
  if (value == "false" || value == "no" || value == "0") return false;
  return Error{"expected true or false, got '" + value + "'"};
}

Status read_file(const std::string& path, const char* command, std::vector<OptionDefault>& out) {
  std::ifstream in(path);
  if (!in) return ok_status();  // absent: nothing to add
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string where = path + ":" + std::to_string(number) + ": ";
    line = trimmed(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const size_t equals = line.find('=');
    if (equals == std::string::npos)
      return Error{where + "expected 'option = value' (e.g. 'max = 8'), got '" + line + "'"};
    OptionDefault d{path, number, "--" + trimmed(line.substr(0, equals)),
                    trimmed(line.substr(equals + 1)), false};
    if (d.option == "--help" || d.option == "--" || d.option.rfind("---", 0) == 0)
      return Error{where + "'" + d.option.substr(2) + "' is not an option a file can set"};
    d.flag = is_flag_option(d.option);
    if (d.flag) {
      Result<bool> on = flag_value(d.value);
      if (!on.ok()) return Error{where + d.option.substr(2) + ": " + on.error().message};
      if (!*on) continue;
      d.value.clear();
    }
    // Checked alone, so that the error names its line.
    Args alone{d.option};
    if (!d.flag) alone.push_back(d.value);
    alone.push_back("t.csv");
    if (Result<RunOptions> checked = parse_run_options(alone, command); !checked.ok())
      return Error{where + checked.error().message};
    out.push_back(std::move(d));
  }
  return ok_status();
}

// The table named on the command line, without parsing the rest.
std::string table_of(const Args& args, const char* command) {
  Result<RunOptions> parsed = parse_run_options(args, command);
  return parsed.ok() ? parsed->table : "";
}

}  // namespace

std::vector<std::string> option_default_files(const std::string& table) {
  std::vector<std::string> files;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
    files.push_back(std::string(xdg) + "/flowline/config");
  else if (const char* home = std::getenv("HOME"); home && *home)
    files.push_back(std::string(home) + "/.config/flowline/config");
  if (!table.empty()) {
    fs::path dir = fs::absolute(fs::path(table)).parent_path();
    files.push_back((dir / "flowline.conf").string());
  }
  return files;
}

Result<std::vector<OptionDefault>> read_option_defaults(const std::vector<std::string>& files,
                                                        const char* command) {
  std::vector<OptionDefault> out;
  for (const std::string& file : files)
    if (Status s = read_file(file, command, out); !s.ok()) return s.error();
  return out;
}

Result<RunOptions> parse_run_options_with_defaults(const Args& args, const char* command) {
  Result<RunOptions> given = parse_run_options(args, command);
  if (!given.ok() || given->help) return given;
  Result<std::vector<OptionDefault>> defaults =
      read_option_defaults(option_default_files(table_of(args, command)), command);
  if (!defaults.ok()) return defaults.error();
  if (defaults->empty()) return given;
  Args all;
  for (const OptionDefault& d : *defaults) {
    // A command builder on the command line replaces a file's template, and the other way.
    if ((d.option == "--cmd" && given->cmd_builder) ||
        (d.option == "--cmd-builder" && given->command_template_given))
      continue;
    all.push_back(d.option);
    if (!d.flag) all.push_back(d.value);
  }
  all.insert(all.end(), args.begin(), args.end());
  Result<RunOptions> merged = parse_run_options(all, command);
  if (!merged.ok()) return merged.error();
  merged->max_given = given->max_given;
  merged->min_mem_given = given->min_mem_given;
  merged->order_given = given->order_given;
  merged->command_template_given = given->command_template_given || merged->command_template_given;
  return merged;
}

}  // namespace flowline::cli

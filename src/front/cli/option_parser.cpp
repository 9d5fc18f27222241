#include "front/cli/option_parser.hpp"

#include <algorithm>

namespace flowline::cli {

std::optional<std::string> ParsedOptions::value(const std::string& option) const {
  auto it = values.find(option);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

OptionParser::OptionParser(std::string command, std::string usage)
    : command_(std::move(command)), usage_(std::move(usage)) {}

OptionParser& OptionParser::flag(std::string name, std::string help) {
  specs_.push_back({std::move(name), false, {}, std::move(help)});
  return *this;
}

OptionParser& OptionParser::value(std::string name, std::string value_name, std::string help) {
  specs_.push_back({std::move(name), true, std::move(value_name), std::move(help)});
  return *this;
}

OptionParser& OptionParser::positionals(size_t min, size_t max) {
  min_positionals_ = min;
  max_positionals_ = max;
  return *this;
}

OptionParser& OptionParser::epilog(std::string text) {
  epilog_ = std::move(text);
  return *this;
}

const OptionParser::Spec* OptionParser::find(const std::string& name) const {
  auto it =
      std::find_if(specs_.begin(), specs_.end(), [&](const Spec& s) { return s.name == name; });
  return it == specs_.end() ? nullptr : &*it;
}

std::string OptionParser::usage_line() const { return "usage: " + command_ + " " + usage_; }

Error OptionParser::error(const std::string& problem) const {
  return Error{command_ + ": " + problem + "\n" + usage_line() + "\n(" + command_ +
               " --help for details)"};
}

Result<ParsedOptions> OptionParser::parse(const Args& args) const {
  ParsedOptions parsed;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      parsed.positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      parsed.help = true;
      return parsed;  // help wins over anything else on the line
    }
    const auto eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const Spec* spec = find(name);
    if (!spec) return error("unknown option '" + name + "'");
    if (!spec->takes_value) {
      if (eq != std::string::npos) return error("option '" + name + "' takes no value");
      parsed.flags.insert(name);
      continue;
    }
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return error("option '" + name + "' needs a value (" + name + " " + spec->value_name + ")");
    }
    if (!parsed.values.emplace(name, value).second) {
      return error("option '" + name + "' is given more than once");
    }
  }
  if (parsed.positionals.size() < min_positionals_) return error("missing argument");
  if (parsed.positionals.size() > max_positionals_) {
    return error("unexpected argument '" + parsed.positionals[max_positionals_] + "'");
  }
  return parsed;
}

std::string OptionParser::help_text() const {
  std::string text = usage_line() + "\n\noptions:\n";
  for (const auto& spec : specs_) {
    std::string left = "  " + spec.name + (spec.takes_value ? " " + spec.value_name : "");
    if (left.size() < 24) left.resize(24, ' ');
    text += left + " " + spec.help + "\n";
  }
  text += "  --help                 show this help\n";
  if (!epilog_.empty()) text += "\n" + epilog_;
  return text;
}

}  // namespace flowline::cli

// fuzz-link: flowline_core
// libFuzzer target: any text is either refused with an error or parsed into a template that
// expands without crashing, for tasks with and without GPUs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/command_template.hpp"
#include "core/shell_quote.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> kColumns = {"lr",  "model", "learning rate",
                                                    "cmd", "gpus",  "note"};
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto tmpl = flowline::CommandTemplate::parse(text, kColumns);
  if (!tmpl.ok()) {
    if (tmpl.error().message.empty()) __builtin_trap();  // every refusal must say why
    return 0;
  }
  flowline::Task task;
  task.id = 7;
  task.name = "it's {a} name";
  task.cmd = "python train.py";
  task.min_mem = 1024;
  task.timeout_ms = 1500;
  const std::string note = text.empty() ? std::string("x") : std::string(text);
  task.params = {{"lr", "0.001"}, {"model", ""}, {"learning rate", "a b"}, {"note", note}};
  const std::string with_gpus = tmpl->expand(task, {0, 3}, 1);
  const std::string cpu_only = tmpl->expand(task, {}, 1);
  task.params = {};
  task.cmd.clear();
  const std::string bare = tmpl->expand(task, {1}, INT64_MAX);
  // A quoted word is never shorter than its value and always ends in a closing quote
  // unless it was left bare.
  const std::string quoted = flowline::shell_quote(text);
  if (quoted.size() < text.size() || (quoted != text && quoted.back() != '\'')) {
    __builtin_trap();
  }
  (void)with_gpus;
  (void)cpu_only;
  (void)bare;
  return 0;
}

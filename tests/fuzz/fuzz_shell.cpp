// fuzz-link: flowline_front
// libFuzzer target: whatever a user types at the prompt or sends with `flowline ctl`, the
// shell answers — with text, or with a refusal that says why — and never crashes, at any
// terminal width. Tab completion and the parsers behind `order`, `--gpus` and `--sim-gpus`
// get the same text: a refusal must say why, and a GPU order that parses prints back to
// text that parses to the same order. Each line is also read as a ctl request, which the
// interpreter then runs as the ctl server would, at the width the request claims.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "core/gpu_order.hpp"
#include "fakes/fake_engine.hpp"
#include "front/ctl/ctl_protocol.hpp"
#include "front/shell/command_interpreter.hpp"
#include "front/shell/completion.hpp"
#include "gpu/sampler.hpp"
#include "gpu/sim/sim_setup.hpp"

namespace {

template <class T>
void refusal_says_why(const flowline::Result<T>& result) {
  if (!result.ok() && result.error().message.empty()) __builtin_trap();
}

void check_outcome(const flowline::shell::CommandOutcome& outcome) {
  if (!outcome.ok && outcome.text.empty()) __builtin_trap();
  if (!outcome.text.empty() && outcome.text.back() != '\n') __builtin_trap();
}

void check_settings_parsers(const std::string& text) {
  auto order = flowline::parse_gpu_order(text);
  refusal_says_why(order);
  if (order.ok()) {
    const std::string printed = flowline::to_string(*order);
    auto again = flowline::parse_gpu_order(printed);
    if (!again.ok() || flowline::to_string(*again) != printed) __builtin_trap();
  }
  refusal_says_why(flowline::parse_gpu_list(text));
  refusal_says_why(flowline::sim::parse_sim_spec(text));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  using namespace flowline;
  // The first byte picks the terminal: width 0 (no limit) to 127 columns, colour or not, and
  // which surface sends the commands.
  shell::Presentation how{static_cast<size_t>(data[0] & 0x7f), (data[0] & 0x80) != 0};
  const shell::Surface surface =
      size > 1 && (data[1] & 1) ? shell::Surface::kCtl : shell::Surface::kShell;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  testing::FakeEngine engine;
  shell::CommandInterpreter interpreter(engine, surface);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    check_outcome(interpreter.execute_line(line, how));
    auto request = ctl::decode_request(line);
    refusal_says_why(request);
    if (request.ok()) {
      auto again = ctl::decode_request(ctl::encode_request(*request));
      if (!again.ok() || again->argv != request->argv || again->width != request->width)
        __builtin_trap();
      check_outcome(interpreter.execute(request->argv, {request->width, request->colour}));
    }
    (void)shell::completion_candidates(line, *engine.snapshot());
    check_settings_parsers(line);
  }
  return 0;
}

// fuzz-link: flowline_exec flowline_gpu
// libFuzzer target: the small files FlowLine reads back from disk — a supervisor's pid and exit
// records (which a crash may leave torn, or a user may edit) and the simulated GPUs' state —
// are refused or parsed, never crash; what parses formats back to text that parses the same.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "exec/local/run_files.hpp"
#include "gpu/sim/sim_state.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace flowline;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto pid = run_files::parse_pid(text)) {
    auto again = run_files::parse_pid(run_files::format_pid(*pid));
    if (!again || again->pid != pid->pid || again->start_ticks != pid->start_ticks)
      __builtin_trap();
  }
  if (auto exit = run_files::parse_exit(text)) {
    const run_files::RecordText printed = run_files::format_exit(*exit);
    if (printed.overflowed()) __builtin_trap();
    auto again = run_files::parse_exit(printed);
    if (!again || run_files::format_exit(*again).view() != printed.view()) __builtin_trap();
  }
  auto state = sim::parse_state(std::string(text));
  if (!state.ok() && state.error().message.empty()) __builtin_trap();
  if (state.ok()) {
    const std::string printed = sim::format_state(*state);
    auto again = sim::parse_state(printed);
    if (!again.ok() || sim::format_state(*again) != printed) __builtin_trap();
  }
  return 0;
}

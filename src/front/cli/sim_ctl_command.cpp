// `flowline sim-ctl` (hidden, for tests and demos): changes the simulated GPUs' state.
//   sim-ctl foreign GPU MIB PID [compute|graphics|both]   another user's process (MIB -1: N/A)
//   sim-ctl error GPU|* FUNCTION|* CODE                   inject an NVML return code
//   sim-ctl set GPU util|temp|power|limit VALUE           fix a metric (-1: automatic)
//   sim-ctl clear                                         drop foreign processes and errors
//   sim-ctl show                                          print the state file
// The state directory is $FLOWLINE_SIM_STATE (as set by --sim-gpus) or --state DIR first.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "front/cli/commands.hpp"
#include "gpu/sim/sim_state.hpp"

namespace flowline::cli {

namespace {

constexpr const char* kUsage =
    "usage: flowline sim-ctl [--state DIR] foreign GPU MIB PID [compute|graphics|both]\n"
    "       flowline sim-ctl [--state DIR] error GPU|* FUNCTION|* CODE\n"
    "       flowline sim-ctl [--state DIR] set GPU util|temp|power|limit VALUE\n"
    "       flowline sim-ctl [--state DIR] clear | show\n";

bool to_int(const std::string& text, long long& value) {
  char* end = nullptr;
  value = std::strtoll(text.c_str(), &end, 10);
  return !text.empty() && *end == '\0';
}

Status apply_change(const Args& a, sim::SimState& state) {
  long long n1 = 0, n2 = 0, n3 = 0;
  const std::string& verb = a[0];
  if (verb == "foreign" && (a.size() == 4 || a.size() == 5) && to_int(a[1], n1) &&
      to_int(a[2], n2) && to_int(a[3], n3)) {
    sim::SimForeign f{n3, static_cast<int>(n1), n2, sim::SimProcessKind::kCompute};
    std::string kind = a.size() == 5 ? a[4] : "compute";
    if (kind == "graphics")
      f.kind = sim::SimProcessKind::kGraphics;
    else if (kind == "both")
      f.kind = sim::SimProcessKind::kBoth;
    else if (kind != "compute")
      return Error{"kind must be compute, graphics or both"};
    state.foreign.push_back(f);
  } else if (verb == "error" && a.size() == 4 && to_int(a[3], n3)) {
    int gpu = sim::kAllGpus;
    if (a[1] != "*" && !to_int(a[1], n1)) return Error{"GPU must be an index or *"};
    if (a[1] != "*") gpu = static_cast<int>(n1);
    state.errors.push_back({gpu, a[2], static_cast<int>(n3)});
  } else if (verb == "set" && a.size() == 4 && to_int(a[1], n1) && to_int(a[3], n3)) {
    for (sim::SimGpu& g : state.gpus) {
      if (g.index != n1) continue;
      int v = static_cast<int>(n3);
      if (a[2] == "util")
        g.utilization = v;
      else if (a[2] == "temp")
        g.temperature = v;
      else if (a[2] == "power")
        g.power_w = v;
      else if (a[2] == "limit")
        g.power_limit_w = v;
      else
        return Error{"metric must be util, temp, power or limit"};
      return ok_status();
    }
    return Error{"no simulated GPU " + a[1]};
  } else if (verb == "clear" && a.size() == 1) {
    state.foreign.clear();
    state.errors.clear();
  } else {
    return Error{"bad arguments"};
  }
  return ok_status();
}

}  // namespace

int sim_ctl_main(const Args& raw) {
  Args args = raw;
  std::string dir = std::getenv("FLOWLINE_SIM_STATE") ? std::getenv("FLOWLINE_SIM_STATE") : "";
  if (args.size() >= 2 && args[0] == "--state") {
    dir = args[1];
    args.erase(args.begin(), args.begin() + 2);
  }
  if (args.empty() || dir.empty()) {
    std::fprintf(stderr, "flowline sim-ctl: %s\n%s",
                 dir.empty() ? "no state: set FLOWLINE_SIM_STATE or --state DIR" : "no command",
                 kUsage);
    return kExitBadInput;
  }
  if (args[0] == "show") {
    auto state = sim::load_state(dir);
    if (!state) {
      std::fprintf(stderr, "flowline sim-ctl: %s\n", state.error().message.c_str());
      return kExitFailed;
    }
    std::fputs(sim::format_state(*state).c_str(), stdout);
    return kExitOk;
  }
  Status status =
      sim::update_state(dir, [&](sim::SimState& state) { return apply_change(args, state); });
  if (!status) {
    std::fprintf(stderr, "flowline sim-ctl: %s\n%s", status.error().message.c_str(), kUsage);
    return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace flowline::cli

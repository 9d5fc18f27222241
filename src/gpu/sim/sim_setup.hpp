#pragma once
// `--sim-gpus SPEC`: creates the simulated GPUs' state and points this process (and every
// child it starts, e.g. `flowline sim-job`) at the simulated driver through the environment:
// FLOWLINE_NVML_LIBRARY=<driver .so>, FLOWLINE_SIM_STATE=<state dir>.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace flowline::sim {

struct SimSetup {
  std::string state_dir;  // absolute
  std::string library_path;
  std::vector<int64_t> total_mib;  // one entry per GPU
};

// "4x24000" or "2x24000,1x80000" → the total MiB of each GPU.
Result<std::vector<int64_t>> parse_sim_spec(const std::string& spec);

// The simulated driver: FLOWLINE_SIM_LIBRARY, else next to this executable, else ../lib.
Result<std::string> find_sim_library();

// Creates `state_dir` (and parents), writes the GPUs (keeping existing allocations, foreign
// processes and injected errors) and sets the environment. `library` overrides the search.
Result<SimSetup> setup_sim_gpus(const std::string& spec, const std::string& state_dir,
                                const std::optional<std::string>& library = {});

}  // namespace flowline::sim

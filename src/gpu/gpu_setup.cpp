#include "gpu/gpu_setup.hpp"

#include "gpu/nvml/nvml_gpu_source.hpp"
#include "gpu/sim/sim_setup.hpp"

namespace flowline {

Result<GpuSetup> open_gpus(const std::optional<std::string>& sim_spec,
                           const std::string& state_dir) {
  if (sim_spec) {
    auto setup = sim::setup_sim_gpus(*sim_spec, state_dir + "/sim");
    if (!setup) return setup.error();
  }
  GpuSetup result;
  auto source = NvmlGpuSource::open();
  if (!source) {
    result.note = "no GPUs: " + source.error().message +
                  ". FlowLine runs CPU-only tasks without it; --sim-gpus 4x24000 simulates GPUs.";
    return result;
  }
  result.note = (*source)->describe();
  result.source = std::move(*source);
  return result;
}

}  // namespace flowline

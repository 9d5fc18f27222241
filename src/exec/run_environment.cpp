#include "exec/run_environment.hpp"

namespace flowline {

std::map<std::string, std::string> run_environment(const LaunchSpec& spec) {
  std::string gpus;
  for (size_t i = 0; i < spec.gpus.size(); ++i) {
    if (i) gpus += ',';
    gpus += std::to_string(spec.gpus[i]);
  }
  std::map<std::string, std::string> env = {
      {"CUDA_VISIBLE_DEVICES", gpus},
      {"CUDA_DEVICE_ORDER", "PCI_BUS_ID"},
      {"FLOWLINE_GPUS", gpus},
      {"FLOWLINE_TASK_ID", std::to_string(spec.task_id)},
      {"FLOWLINE_RUN_ID", std::to_string(spec.run_id)},
  };
  for (const auto& [key, value] : spec.env) env[key] = value;
  return env;
}

}  // namespace flowline

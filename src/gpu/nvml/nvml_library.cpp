#include "gpu/nvml/nvml_library.hpp"

#include <dlfcn.h>

#include <cstdlib>

namespace flowline::nvml {

namespace {

std::vector<std::string> candidate_paths(const std::optional<std::string>& path) {
  if (path) return {*path};
  if (const char* env = std::getenv("FLOWLINE_NVML_LIBRARY"); env && *env) return {env};
  return {"libnvidia-ml.so.1", "libnvidia-ml.so"};
}

}  // namespace

Result<std::unique_ptr<Library>> Library::open(const std::optional<std::string>& path) {
  std::string reasons;
  for (const auto& candidate : candidate_paths(path)) {
    // RTLD_LOCAL: NVML's symbols must not leak into other libraries' lookups.
    void* handle = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle) {
      std::unique_ptr<Library> library(new Library(handle, candidate));
      library->resolve_all();
      return library;
    }
    const char* why = dlerror();
    if (!reasons.empty()) reasons += "; ";
    reasons += why ? why : candidate + ": cannot be loaded";
  }
  return Error{"NVML could not be loaded (" + reasons + ")"};
}

Library::Library(void* handle, std::string path) : handle_(handle), path_(std::move(path)) {}

Library::~Library() {
  if (handle_) dlclose(handle_);
}

template <class Fn>
void Library::resolve(Fn& slot, const char* symbol) {
  slot = reinterpret_cast<Fn>(dlsym(handle_, symbol));
  if (!slot) missing_.emplace_back(symbol);
}

void Library::resolve_all() {
  resolve(api_.init_v2, "nvmlInit_v2");
  resolve(api_.init_v1, "nvmlInit");
  resolve(api_.shutdown, "nvmlShutdown");
  resolve(api_.error_string, "nvmlErrorString");
  resolve(api_.driver_version, "nvmlSystemGetDriverVersion");
  resolve(api_.count_v2, "nvmlDeviceGetCount_v2");
  resolve(api_.count_v1, "nvmlDeviceGetCount");
  resolve(api_.handle_v2, "nvmlDeviceGetHandleByIndex_v2");
  resolve(api_.handle_v1, "nvmlDeviceGetHandleByIndex");
  resolve(api_.name, "nvmlDeviceGetName");
  resolve(api_.uuid, "nvmlDeviceGetUUID");
  resolve(api_.memory_v2, "nvmlDeviceGetMemoryInfo_v2");
  resolve(api_.memory_v1, "nvmlDeviceGetMemoryInfo");
  resolve(api_.compute_v3, "nvmlDeviceGetComputeRunningProcesses_v3");
  resolve(api_.compute_v2, "nvmlDeviceGetComputeRunningProcesses_v2");
  resolve(api_.compute_v1, "nvmlDeviceGetComputeRunningProcesses");
  resolve(api_.graphics_v3, "nvmlDeviceGetGraphicsRunningProcesses_v3");
  resolve(api_.graphics_v2, "nvmlDeviceGetGraphicsRunningProcesses_v2");
  resolve(api_.graphics_v1, "nvmlDeviceGetGraphicsRunningProcesses");
  resolve(api_.utilization, "nvmlDeviceGetUtilizationRates");
  resolve(api_.temperature, "nvmlDeviceGetTemperature");
  resolve(api_.power_usage, "nvmlDeviceGetPowerUsage");
  resolve(api_.power_limit, "nvmlDeviceGetEnforcedPowerLimit");
  api_.sim_marker = reinterpret_cast<SimMarkerFn>(dlsym(handle_, "flowlineSimMarker"));
}

std::string Library::error_text(nvmlReturn_t code) const {
  const char* text = api_.error_string ? api_.error_string(code) : nullptr;
  if (text && *text) return text;
  return "NVML error " + std::to_string(code);
}

}  // namespace flowline::nvml

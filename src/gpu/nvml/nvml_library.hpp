#pragma once
// Loads an NVML library with dlopen and resolves every entry point FlowLine uses once.
// A symbol the library lacks stays null and is listed in missing(): callers fall back to an
// older entry point without probing again on every sample.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "gpu/nvml/nvml_types.hpp"

namespace flowline::nvml {

struct Api {
  InitFn init_v2 = nullptr;
  InitFn init_v1 = nullptr;
  ShutdownFn shutdown = nullptr;
  ErrorStringFn error_string = nullptr;
  SystemGetDriverVersionFn driver_version = nullptr;
  DeviceGetCountFn count_v2 = nullptr;
  DeviceGetCountFn count_v1 = nullptr;
  DeviceGetHandleByIndexFn handle_v2 = nullptr;
  DeviceGetHandleByIndexFn handle_v1 = nullptr;
  DeviceGetStringFn name = nullptr;
  DeviceGetStringFn uuid = nullptr;
  DeviceGetMemoryInfoV2Fn memory_v2 = nullptr;
  DeviceGetMemoryInfoFn memory_v1 = nullptr;
  DeviceGetProcessesV2Fn compute_v3 = nullptr;
  DeviceGetProcessesV2Fn compute_v2 = nullptr;
  DeviceGetProcessesV1Fn compute_v1 = nullptr;
  DeviceGetProcessesV2Fn graphics_v3 = nullptr;
  DeviceGetProcessesV2Fn graphics_v2 = nullptr;
  DeviceGetProcessesV1Fn graphics_v1 = nullptr;
  DeviceGetUtilizationRatesFn utilization = nullptr;
  DeviceGetTemperatureFn temperature = nullptr;
  DeviceGetUintFn power_usage = nullptr;
  DeviceGetUintFn power_limit = nullptr;
  SimMarkerFn sim_marker = nullptr;  // exported only by FlowLine's simulated driver
};

class Library {
 public:
  // Opens `path` if given, else FLOWLINE_NVML_LIBRARY, else libnvidia-ml.so.1, then
  // libnvidia-ml.so. The error names every path tried and dlerror's reason.
  static Result<std::unique_ptr<Library>> open(const std::optional<std::string>& path = {});
  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

  const Api& api() const { return api_; }
  const std::string& path() const { return path_; }
  const std::vector<std::string>& missing() const { return missing_; }
  // nvmlErrorString's text, or the numeric code when the library has no such function.
  std::string error_text(nvmlReturn_t code) const;

 private:
  Library(void* handle, std::string path);
  void resolve_all();
  template <class Fn>
  void resolve(Fn& slot, const char* symbol);

  void* handle_;
  std::string path_;
  Api api_;
  std::vector<std::string> missing_;
};

}  // namespace flowline::nvml

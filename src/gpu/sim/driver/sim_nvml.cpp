// FlowLine's simulated NVML driver: a shared library exporting NVML's entry points with the
// real ABI (names, struct layouts, version checks, return codes), whose GPUs live in the state
// directory named by FLOWLINE_SIM_STATE (see gpu/sim/sim_state.hpp). Built twice: the full
// driver, and with SIM_V1_ONLY a driver as old as NVML's first API (no _v2/_v3 entry points)
// so that every fallback path of FlowLine's loader runs in tests.
#include <sys/stat.h>
#include <time.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "gpu/nvml/nvml_types.hpp"
#include "gpu/sim/sim_state.hpp"

#define SIM_EXPORT extern "C" __attribute__((visibility("default")))

struct nvmlDevice_st {
  unsigned int index;
};

namespace flowline::sim {
namespace {

using namespace flowline::nvml;  // NOLINT: NVML's own names

constexpr unsigned int kMaxGpus = 64;
constexpr unsigned long long kMiB = 1024ULL * 1024ULL;
constexpr long long kRecheckNs = 50'000'000;  // liveness of sim-jobs is re-read after 50 ms

struct SimProcess {
  unsigned int pid;
  long long mib;  // -1: not available
};

// The state as of the last read, with dead sim-jobs already left out.
struct View {
  SimState state;
  std::vector<long long> used_mib;
  std::vector<std::vector<SimProcess>> compute;
  std::vector<std::vector<SimProcess>> graphics;
};

struct Driver {
  Driver() {
    for (unsigned int i = 0; i < kMaxGpus; ++i) devices[i].index = i;
  }
  std::mutex mutex;
  int init_count = 0;
  std::string dir;
  View view;
  bool loaded = false;
  struct timespec mtime {};
  ino_t inode = 0;
  off_t size = 0;
  long long checked_ns = 0;
  nvmlDevice_st devices[kMaxGpus];
};

Driver& driver() {
  static Driver instance;
  return instance;
}

long long monotonic_ns() {
  struct timespec now {};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<long long>(now.tv_sec) * 1'000'000'000LL + now.tv_nsec;
}

void build_view(View& view) {
  size_t n = view.state.gpus.size();
  view.used_mib.assign(n, 0);
  view.compute.assign(n, {});
  view.graphics.assign(n, {});
  auto slot = [&](int gpu) { return gpu >= 0 && static_cast<size_t>(gpu) < n; };
  for (const auto& a : view.state.allocations) {
    if (!slot(a.gpu) || !process_alive(a.pid, a.start)) continue;
    view.used_mib[a.gpu] += a.mib;
    view.compute[a.gpu].push_back({static_cast<unsigned int>(a.pid), a.mib});
  }
  for (const auto& f : view.state.foreign) {
    if (!slot(f.gpu)) continue;
    if (f.mib > 0) view.used_mib[f.gpu] += f.mib;
    SimProcess p{static_cast<unsigned int>(f.pid), f.mib};
    if (f.kind != SimProcessKind::kGraphics) view.compute[f.gpu].push_back(p);
    if (f.kind != SimProcessKind::kCompute) view.graphics[f.gpu].push_back(p);
  }
}

// Re-reads the state file when it changed, and sim-job liveness at most every 50 ms, so that a
// sample of many GPUs costs one read. Caller holds the mutex.
bool refresh(Driver& d) {
  struct stat info {};
  std::string path = state_file(d.dir);
  if (::stat(path.c_str(), &info) != 0) return d.loaded;  // keep the last good state
  long long now = monotonic_ns();
  bool changed = !d.loaded || info.st_ino != d.inode || info.st_size != d.size ||
                 info.st_mtim.tv_sec != d.mtime.tv_sec || info.st_mtim.tv_nsec != d.mtime.tv_nsec;
  if (!changed && now - d.checked_ns < kRecheckNs) return true;
  if (changed) {
    auto state = load_state(d.dir);
    if (!state) return d.loaded;
    d.view.state = std::move(*state);
    d.inode = info.st_ino;
    d.size = info.st_size;
    d.mtime = info.st_mtim;
    d.loaded = true;
  }
  build_view(d.view);
  d.checked_ns = now;
  return true;
}

// Common entry for per-device calls: initialised, valid handle, no injected error.
nvmlReturn_t enter(Driver& d, nvmlDevice_t device, const char* function, int& index) {
  if (d.init_count == 0) return kErrorUninitialized;
  if (!refresh(d)) return kErrorUnknown;
  // Only handles this driver gave out are dereferenced: a stray pointer is an argument error.
  auto address = reinterpret_cast<uintptr_t>(device);
  auto first = reinterpret_cast<uintptr_t>(&d.devices[0]);
  if (!device || address < first || address >= first + sizeof d.devices ||
      (address - first) % sizeof(nvmlDevice_st) != 0)
    return kErrorInvalidArgument;
  index = static_cast<int>(device->index);
  if (static_cast<size_t>(index) >= d.view.state.gpus.size()) return kErrorInvalidArgument;
  return injected_error(d.view.state, index, function);
}

bool busy(const View& view, int index) {
  return !view.compute[index].empty() || !view.graphics[index].empty();
}

nvmlReturn_t init(const char* function) {
  Driver& d = driver();
  std::lock_guard lock(d.mutex);
  const char* dir = std::getenv("FLOWLINE_SIM_STATE");
  if (!dir || !*dir) return kErrorDriverNotLoaded;
  if (d.init_count == 0) {
    d.dir = dir;
    d.loaded = false;
  }
  if (!refresh(d)) return kErrorDriverNotLoaded;
  if (int code = injected_error(d.view.state, kAllGpus, function)) return code;
  ++d.init_count;
  return kSuccess;
}

nvmlReturn_t device_count(unsigned int* count) {
  Driver& d = driver();
  std::lock_guard lock(d.mutex);
  if (d.init_count == 0) return kErrorUninitialized;
  if (!count) return kErrorInvalidArgument;
  if (!refresh(d)) return kErrorUnknown;
  size_t n = d.view.state.gpus.size();
  *count = static_cast<unsigned int>(n < kMaxGpus ? n : kMaxGpus);
  return kSuccess;
}

nvmlReturn_t handle_by_index(unsigned int index, nvmlDevice_t* device, const char* function) {
  Driver& d = driver();
  std::lock_guard lock(d.mutex);
  if (d.init_count == 0) return kErrorUninitialized;
  if (!device || !refresh(d) || index >= d.view.state.gpus.size() || index >= kMaxGpus)
    return kErrorInvalidArgument;
  if (int code = injected_error(d.view.state, static_cast<int>(index), function)) return code;
  *device = &d.devices[index];
  return kSuccess;
}

nvmlReturn_t copy_string(const std::string& text, char* out, unsigned int length) {
  if (!out) return kErrorInvalidArgument;
  if (text.size() + 1 > length) return kErrorInsufficientSize;
  std::memcpy(out, text.c_str(), text.size() + 1);
  return kSuccess;
}

template <class Fill>
nvmlReturn_t with_device(nvmlDevice_t device, const char* function, Fill fill) {
  Driver& d = driver();
  std::lock_guard lock(d.mutex);
  int index = 0;
  if (nvmlReturn_t rc = enter(d, device, function, index); rc != kSuccess) return rc;
  return fill(d.view, index);
}

template <class Info>
nvmlReturn_t list_processes(nvmlDevice_t device, const char* function, bool compute,
                            unsigned int* count, Info* infos) {
  return with_device(device, function, [&](const View& view, int index) {
    if (!count) return kErrorInvalidArgument;
    const auto& list = compute ? view.compute[index] : view.graphics[index];
    if (*count < list.size()) {
      *count = static_cast<unsigned int>(list.size());  // tells the caller what it needs
      return kErrorInsufficientSize;
    }
    if (!list.empty() && !infos) return kErrorInvalidArgument;
    for (size_t i = 0; i < list.size(); ++i) {
      Info info{};
      std::memset(&info, 0xff, sizeof info);  // unused instance ids read as "none", as on GPUs
      info.pid = list[i].pid;
      info.usedGpuMemory = list[i].mib < 0 ? kValueNotAvailable : list[i].mib * kMiB;
      infos[i] = info;
    }
    *count = static_cast<unsigned int>(list.size());
    return kSuccess;
  });
}

template <class Memory>
nvmlReturn_t memory_info(nvmlDevice_t device, const char* function, Memory* memory) {
  return with_device(device, function, [&](const View& view, int index) {
    if (!memory) return kErrorInvalidArgument;
    unsigned long long total = view.state.gpus[index].total_mib * kMiB;
    unsigned long long used = static_cast<unsigned long long>(view.used_mib[index]) * kMiB;
    if (used > total) used = total;
    memory->total = total;
    memory->used = used;
    memory->free = total - used;
    return kSuccess;
  });
}

const char* error_string(nvmlReturn_t code) {
  switch (code) {
    case 0:
      return "Success";
    case 1:
      return "Uninitialized";
    case 2:
      return "Invalid Argument";
    case 3:
      return "Not Supported";
    case 4:
      return "Insufficient Permissions";
    case 5:
      return "Already Initialized";
    case 6:
      return "Not Found";
    case 7:
      return "Insufficient Size";
    case 8:
      return "Insufficient External Power";
    case 9:
      return "Driver Not Loaded";
    case 10:
      return "Timeout";
    case 11:
      return "Interrupt request issue";
    case 12:
      return "NVML Shared Library Not Found";
    case 13:
      return "Function Not Found";
    case 14:
      return "Corrupted infoROM";
    case 15:
      return "GPU is lost";
    case 16:
      return "GPU requires restart";
    case 17:
      return "The operating system has blocked the request.";
    case 18:
      return "RM has detected an NVML/RM version mismatch.";
    case 19:
      return "In use by another client";
    case 20:
      return "Insufficient Memory";
    case 21:
      return "No data";
    case 25:
      return "Argument version mismatch";
    default:
      return "Unknown Error";
  }
}

}  // namespace
}  // namespace flowline::sim

using namespace flowline::sim;  // NOLINT: the exports below are C symbols

SIM_EXPORT int flowlineSimMarker() { return 1; }

SIM_EXPORT nvmlReturn_t nvmlInit() { return init("nvmlInit"); }

SIM_EXPORT nvmlReturn_t nvmlShutdown() {
  Driver& d = driver();
  std::lock_guard lock(d.mutex);
  if (d.init_count == 0) return flowline::nvml::kErrorUninitialized;
  --d.init_count;
  return flowline::nvml::kSuccess;
}

SIM_EXPORT const char* nvmlErrorString(nvmlReturn_t code) { return error_string(code); }

SIM_EXPORT nvmlReturn_t nvmlSystemGetDriverVersion(char* version, unsigned int length) {
  Driver& d = driver();
  std::lock_guard lock(d.mutex);
  if (d.init_count == 0) return flowline::nvml::kErrorUninitialized;
  return copy_string("flowline-sim-1.0", version, length);
}

SIM_EXPORT nvmlReturn_t nvmlDeviceGetCount(unsigned int* count) { return device_count(count); }

SIM_EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex(unsigned int index, nvmlDevice_t* device) {
  return handle_by_index(index, device, "nvmlDeviceGetHandleByIndex");
}

SIM_EXPORT nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char* name, unsigned int length) {
  return with_device(device, "nvmlDeviceGetName",
                     [&](const View&, int) { return copy_string(kSimGpuName, name, length); });
}

SIM_EXPORT nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char* uuid, unsigned int length) {
  return with_device(device, "nvmlDeviceGetUUID", [&](const View& view, int index) {
    return copy_string(view.state.gpus[index].uuid, uuid, length);
  });
}

SIM_EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t* memory) {
  return memory_info(device, "nvmlDeviceGetMemoryInfo", memory);
}

SIM_EXPORT nvmlReturn_t nvmlDeviceGetComputeRunningProcesses(nvmlDevice_t device,
                                                             unsigned int* count,
                                                             nvmlProcessInfo_v1_t* infos) {
  return list_processes(device, "nvmlDeviceGetComputeRunningProcesses", true, count, infos);
}

SIM_EXPORT nvmlReturn_t nvmlDeviceGetGraphicsRunningProcesses(nvmlDevice_t device,
                                                              unsigned int* count,
                                                              nvmlProcessInfo_v1_t* infos) {
  return list_processes(device, "nvmlDeviceGetGraphicsRunningProcesses", false, count, infos);
}

SIM_EXPORT nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device,
                                                      nvmlUtilization_t* rates) {
  return with_device(device, "nvmlDeviceGetUtilizationRates", [&](const View& view, int index) {
    if (!rates) return flowline::nvml::kErrorInvalidArgument;
    int util = view.state.gpus[index].utilization;
    rates->gpu = static_cast<unsigned int>(util != kAuto ? util : busy(view, index) ? 95 : 0);
    rates->memory = rates->gpu / 2;
    return flowline::nvml::kSuccess;
  });
}

SIM_EXPORT nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device,
                                                 nvmlTemperatureSensors_t sensor,
                                                 unsigned int* temp) {
  return with_device(device, "nvmlDeviceGetTemperature", [&](const View& view, int index) {
    if (!temp || sensor != flowline::nvml::kTemperatureGpu)
      return flowline::nvml::kErrorInvalidArgument;
    int value = view.state.gpus[index].temperature;
    *temp = static_cast<unsigned int>(value != kAuto ? value : busy(view, index) ? 72 : 35);
    return flowline::nvml::kSuccess;
  });
}

SIM_EXPORT nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int* power) {
  return with_device(device, "nvmlDeviceGetPowerUsage", [&](const View& view, int index) {
    if (!power) return flowline::nvml::kErrorInvalidArgument;
    const SimGpu& gpu = view.state.gpus[index];
    int watts = gpu.power_w != kAuto ? gpu.power_w
                                     : gpu.power_limit_w * (busy(view, index) ? 80 : 20) / 100;
    *power = static_cast<unsigned int>(watts) * 1000u;  // milliwatts, as NVML reports
    return flowline::nvml::kSuccess;
  });
}

#ifndef SIM_V1_ONLY
SIM_EXPORT nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t device, unsigned int* limit) {
  return with_device(device, "nvmlDeviceGetEnforcedPowerLimit", [&](const View& view, int i) {
    if (!limit) return flowline::nvml::kErrorInvalidArgument;
    *limit = static_cast<unsigned int>(view.state.gpus[i].power_limit_w) * 1000u;
    return flowline::nvml::kSuccess;
  });
}

SIM_EXPORT nvmlReturn_t nvmlInit_v2() { return init("nvmlInit_v2"); }

SIM_EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int* count) { return device_count(count); }

SIM_EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t* device) {
  return handle_by_index(index, device, "nvmlDeviceGetHandleByIndex_v2");
}

SIM_EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t device, nvmlMemory_v2_t* memory) {
  // The real driver checks the version before anything else, and so must every caller.
  if (memory && memory->version != flowline::nvml::kNvmlMemoryV2Version)
    return flowline::nvml::kErrorArgumentVersionMismatch;
  nvmlReturn_t rc = memory_info(device, "nvmlDeviceGetMemoryInfo_v2", memory);
  if (rc == flowline::nvml::kSuccess) memory->reserved = 0;
  return rc;
}

SIM_EXPORT nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v2(nvmlDevice_t device,
                                                                unsigned int* count,
                                                                nvmlProcessInfo_v2_t* infos) {
  return list_processes(device, "nvmlDeviceGetComputeRunningProcesses_v2", true, count, infos);
}

SIM_EXPORT nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device,
                                                                unsigned int* count,
                                                                nvmlProcessInfo_v2_t* infos) {
  return list_processes(device, "nvmlDeviceGetComputeRunningProcesses_v3", true, count, infos);
}

SIM_EXPORT nvmlReturn_t nvmlDeviceGetGraphicsRunningProcesses_v2(nvmlDevice_t device,
                                                                 unsigned int* count,
                                                                 nvmlProcessInfo_v2_t* infos) {
  return list_processes(device, "nvmlDeviceGetGraphicsRunningProcesses_v2", false, count, infos);
}

SIM_EXPORT nvmlReturn_t nvmlDeviceGetGraphicsRunningProcesses_v3(nvmlDevice_t device,
                                                                 unsigned int* count,
                                                                 nvmlProcessInfo_v2_t* infos) {
  return list_processes(device, "nvmlDeviceGetGraphicsRunningProcesses_v3", false, count, infos);
}
#endif  // SIM_V1_ONLY

#include "gpu/nvml/nvml_gpu_source.hpp"

#include <algorithm>
#include <cstring>

namespace flowline {

using namespace nvml;  // NOLINT: the constants are NVML's own names

namespace {

constexpr int64_t kMiB = 1024 * 1024;
constexpr int kGrowAttempts = 4;  // processes may start between the size probe and the call

int64_t to_mib(unsigned long long bytes) { return static_cast<int64_t>(bytes / kMiB); }

std::optional<int64_t> process_mib(unsigned long long bytes) {
  if (bytes == kValueNotAvailable) return std::nullopt;
  return to_mib(bytes);
}

// Versioned fallbacks: a newer entry point that the driver rejects is not used again.
bool means_unsupported_version(nvmlReturn_t rc) {
  return rc == kErrorFunctionNotFound || rc == kErrorArgumentVersionMismatch;
}

}  // namespace

Result<std::unique_ptr<NvmlGpuSource>> NvmlGpuSource::open(
    const std::optional<std::string>& library_path) {
  auto library = Library::open(library_path);
  if (!library) return library.error();
  std::unique_ptr<NvmlGpuSource> source(new NvmlGpuSource(std::move(*library)));
  if (auto status = source->init(); !status) return status.error();
  return source;
}

NvmlGpuSource::NvmlGpuSource(std::unique_ptr<Library> library)
    : library_(std::move(library)), simulated_(library_->api().sim_marker != nullptr) {}

NvmlGpuSource::~NvmlGpuSource() {
  if (initialised_ && library_->api().shutdown) library_->api().shutdown();
}

Status NvmlGpuSource::init() {
  const Api& api = library_->api();
  InitFn init = api.init_v2 ? api.init_v2 : api.init_v1;
  if (!init) return Error{library_->path() + " is not an NVML library (no nvmlInit)"};
  if (nvmlReturn_t rc = init(); rc != kSuccess)
    return Error{"nvmlInit failed (" + library_->path() + "): " + library_->error_text(rc)};
  initialised_ = true;
  if (api.driver_version) {
    char version[kDriverVersionBufferSize] = {};
    if (api.driver_version(version, sizeof version) == kSuccess) driver_version_ = version;
  }
  DeviceGetCountFn count_fn = api.count_v2 ? api.count_v2 : api.count_v1;
  if (!count_fn) return Error{library_->path() + " has no nvmlDeviceGetCount"};
  unsigned int count = 0;
  if (nvmlReturn_t rc = count_fn(&count); rc != kSuccess)
    return Error{"nvmlDeviceGetCount failed: " + library_->error_text(rc)};
  devices_.resize(count);
  for (unsigned int i = 0; i < count; ++i) acquire_handle(static_cast<int>(i));
  return ok_status();
}

void NvmlGpuSource::acquire_handle(int index) {
  const Api& api = library_->api();
  Device& device = devices_[index];
  DeviceGetHandleByIndexFn fn = api.handle_v2 ? api.handle_v2 : api.handle_v1;
  if (!fn) {
    device.handle_error = "the driver has no nvmlDeviceGetHandleByIndex";
    return;
  }
  nvmlReturn_t rc = fn(static_cast<unsigned int>(index), &device.handle);
  if (rc == kSuccess) {
    device.handle_error.reset();
  } else {
    device.handle = nullptr;
    device.handle_error = library_->error_text(rc);
  }
}

std::string NvmlGpuSource::describe() const {
  std::string text = (simulated_ ? "simulated NVML " : "NVML ") + library_->path();
  text += ", driver " + (driver_version_.empty() ? std::string("unknown") : driver_version_);
  text += ", " + std::to_string(devices_.size()) + " GPU(s)";
  return text;
}

Result<std::vector<GpuInfo>> NvmlGpuSource::sample() {
  std::vector<GpuInfo> gpus;
  gpus.reserve(devices_.size());
  for (size_t i = 0; i < devices_.size(); ++i) gpus.push_back(sample_device(static_cast<int>(i)));
  return gpus;
}

GpuInfo NvmlGpuSource::sample_device(int index) {
  GpuInfo info;
  info.index = index;
  info.simulated = simulated_;
  Device& device = devices_[index];
  if (!device.handle) acquire_handle(index);  // only GPUs that failed before are retried
  if (!device.handle) {
    info.error = device.handle_error.value_or("no handle");
    return info;
  }
  const Api& api = library_->api();
  if (!device.name) device.name = read_string(api.name, device.handle, kDeviceNameBufferSize);
  if (!device.uuid) device.uuid = read_string(api.uuid, device.handle, kUuidBufferSize);
  info.name = device.name;
  info.uuid = device.uuid;
  // Processes before memory: NVML cannot read both at once, and the engine takes memory it
  // sees a run's process holding as already gone from free memory. Read the other way round,
  // a process allocating between the two calls would be counted neither as used nor as
  // promised, and the GPU overcommitted (seen on simulated GPUs: rare OOMs of runs whose
  // min_mem covered their need).
  auto processes = read_processes(device.handle);
  if (!read_memory(device, info)) return info;
  read_metrics(device, info);
  info.processes = std::move(processes);
  return info;
}

std::optional<std::string> NvmlGpuSource::read_string(DeviceGetStringFn fn, nvmlDevice_t handle,
                                                      unsigned int size) {
  if (!fn) return std::nullopt;
  std::vector<char> text(size, '\0');
  if (fn(handle, text.data(), size) != kSuccess) return std::nullopt;
  text.back() = '\0';  // never trust the driver to terminate
  return std::string(text.data());
}

bool NvmlGpuSource::read_memory(Device& device, GpuInfo& info) {
  const Api& api = library_->api();
  nvmlReturn_t rc = kErrorFunctionNotFound;
  if (api.memory_v2 && memory_v2_works_) {
    nvmlMemory_v2_t memory{};
    memory.version = kNvmlMemoryV2Version;
    rc = api.memory_v2(device.handle, &memory);
    if (rc == kSuccess) {
      info.total_memory_mib = to_mib(memory.total);
      info.free_memory_mib = to_mib(memory.free);
      return true;
    }
    if (means_unsupported_version(rc)) memory_v2_works_ = false;
  }
  if (api.memory_v1 && (rc == kErrorFunctionNotFound || !memory_v2_works_)) {
    nvmlMemory_t memory{};
    rc = api.memory_v1(device.handle, &memory);
    if (rc == kSuccess) {
      info.total_memory_mib = to_mib(memory.total);
      info.free_memory_mib = to_mib(memory.free);
      return true;
    }
  }
  if (rc == kErrorGpuIsLost) {
    info.error = library_->error_text(rc);
    return false;
  }
  return true;  // memory stays unknown; the other fields may still be readable
}

void NvmlGpuSource::read_metrics(Device& device, GpuInfo& info) {
  const Api& api = library_->api();
  if (api.utilization) {
    nvmlUtilization_t rates{};
    if (api.utilization(device.handle, &rates) == kSuccess) info.utilization = rates.gpu;
  }
  unsigned int value = 0;
  if (api.temperature && api.temperature(device.handle, kTemperatureGpu, &value) == kSuccess)
    info.temperature = value;
  if (api.power_usage && api.power_usage(device.handle, &value) == kSuccess)
    info.power_w = value / 1000.0;  // NVML reports milliwatts
  if (api.power_limit && api.power_limit(device.handle, &value) == kSuccess)
    info.max_power_w = value / 1000.0;
}

std::optional<std::vector<GpuProcess>> NvmlGpuSource::read_processes(nvmlDevice_t handle) {
  auto compute = read_process_kind(handle, ProcessKind::kCompute);
  if (!compute) return std::nullopt;  // without compute processes the list would mislead
  auto graphics = read_process_kind(handle, ProcessKind::kGraphics);
  if (!graphics) return compute;  // many GPUs do not support graphics listing
  for (const GpuProcess& g : *graphics) {
    auto same = std::find_if(compute->begin(), compute->end(),
                             [&](const GpuProcess& c) { return c.pid == g.pid; });
    if (same == compute->end()) {
      compute->push_back(g);
    } else if (g.used_memory_mib &&
               (!same->used_memory_mib || *g.used_memory_mib > *same->used_memory_mib)) {
      same->used_memory_mib = g.used_memory_mib;
    }
  }
  return compute;
}

template <class Info, class Fn>
nvmlReturn_t NvmlGpuSource::call_growing(Fn fn, nvmlDevice_t handle, std::vector<Info>& buffer,
                                         unsigned int& count) {
  if (buffer.empty()) buffer.resize(32);
  nvmlReturn_t rc = kErrorInsufficientSize;
  for (int attempt = 0; attempt < kGrowAttempts && rc == kErrorInsufficientSize; ++attempt) {
    count = static_cast<unsigned int>(buffer.size());
    rc = fn(handle, &count, buffer.data());
    // On INSUFFICIENT_SIZE the driver writes the number it needs into count.
    if (rc == kErrorInsufficientSize) buffer.resize(std::max<size_t>(count, buffer.size()) * 2);
  }
  if (rc == kSuccess && count > buffer.size()) return kErrorUnknown;  // driver lied
  return rc;
}

std::optional<std::vector<GpuProcess>> NvmlGpuSource::read_process_kind(nvmlDevice_t handle,
                                                                        ProcessKind kind) {
  const Api& api = library_->api();
  bool compute = kind == ProcessKind::kCompute;
  std::vector<GpuProcess> processes;
  unsigned int count = 0;
  for (DeviceGetProcessesV2Fn fn :
       {compute ? api.compute_v3 : api.graphics_v3, compute ? api.compute_v2 : api.graphics_v2}) {
    if (!fn) continue;
    nvmlReturn_t rc = call_growing(fn, handle, buffer_v2_, count);
    if (rc == kSuccess) {
      for (unsigned int i = 0; i < count; ++i)
        processes.push_back(
            {buffer_v2_[i].pid, std::nullopt, process_mib(buffer_v2_[i].usedGpuMemory), false,
             std::nullopt});
      return processes;
    }
    if (!means_unsupported_version(rc)) return std::nullopt;
  }
  DeviceGetProcessesV1Fn v1 = compute ? api.compute_v1 : api.graphics_v1;
  if (!v1 || call_growing(v1, handle, buffer_v1_, count) != kSuccess) return std::nullopt;
  for (unsigned int i = 0; i < count; ++i)
    processes.push_back(
        {buffer_v1_[i].pid, std::nullopt, process_mib(buffer_v1_[i].usedGpuMemory), false,
         std::nullopt});
  return processes;
}

}  // namespace flowline

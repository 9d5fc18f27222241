#pragma once
// GpuSource over NVML (the real driver or FlowLine's simulated one), loaded with dlopen.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gpu/gpu_source.hpp"
#include "gpu/nvml/nvml_library.hpp"

namespace flowline {

class NvmlGpuSource final : public GpuSource {
 public:
  // Loads the library (see nvml::Library::open), initialises NVML and acquires every GPU's
  // handle once. An Error means NVML is unusable: not installed, or nvmlInit failed.
  static Result<std::unique_ptr<NvmlGpuSource>> open(
      const std::optional<std::string>& library_path = {});
  ~NvmlGpuSource() override;

  // Not thread-safe (buffers are reused): one caller at a time, as the Sampler does.
  Result<std::vector<GpuInfo>> sample() override;
  bool simulated() const override { return simulated_; }
  std::string describe() const override;
  const nvml::Library& library() const { return *library_; }

 private:
  struct Device {
    nvmlDevice_t handle = nullptr;
    std::optional<std::string> handle_error;
    std::optional<std::string> name;  // constant: read until it succeeds once
    std::optional<std::string> uuid;
  };
  enum class ProcessKind { kCompute, kGraphics };

  explicit NvmlGpuSource(std::unique_ptr<nvml::Library> library);
  Status init();
  void acquire_handle(int index);
  GpuInfo sample_device(int index);
  // Returns false when the GPU is lost: the caller marks it errored.
  bool read_memory(Device& device, GpuInfo& info);
  void read_metrics(Device& device, GpuInfo& info);
  std::optional<std::vector<GpuProcess>> read_processes(nvmlDevice_t handle);
  std::optional<std::vector<GpuProcess>> read_process_kind(nvmlDevice_t handle, ProcessKind kind);
  template <class Info, class Fn>
  nvmlReturn_t call_growing(Fn fn, nvmlDevice_t handle, std::vector<Info>& buffer,
                            unsigned int& count);
  std::optional<std::string> read_string(nvml::DeviceGetStringFn fn, nvmlDevice_t handle,
                                         unsigned int size);

  std::unique_ptr<nvml::Library> library_;
  bool initialised_ = false;
  bool simulated_ = false;
  bool memory_v2_works_ = true;  // cleared once the driver rejects the _v2 struct
  std::string driver_version_;
  std::vector<Device> devices_;
  std::vector<nvmlProcessInfo_v2_t> buffer_v2_;  // reused between samples
  std::vector<nvmlProcessInfo_v1_t> buffer_v1_;
};

}  // namespace flowline

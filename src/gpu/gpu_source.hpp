#pragma once
// Where GPU state comes from: NVML through dlopen (real driver or the simulated one).
#include <memory>
#include <string>
#include <vector>

#include "core/gpu_info.hpp"
#include "core/result.hpp"

namespace flowline {

class GpuSource {
 public:
  virtual ~GpuSource() = default;
  // One sample of every GPU. A failing GPU is returned with `error` set; it never hides
  // the others. An Error result means no GPU could be read at all.
  virtual Result<std::vector<GpuInfo>> sample() = 0;
  virtual bool simulated() const = 0;
  // A one-line description for logs: library path and driver version.
  virtual std::string describe() const = 0;
};

}  // namespace flowline

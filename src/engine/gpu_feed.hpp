#pragma once
// The engine's view of the GPU sampler: the latest sample, and a nudge when a new one lands.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/gpu_info.hpp"

namespace flowline {

class GpuFeed {
 public:
  virtual ~GpuFeed() = default;
  virtual std::shared_ptr<const std::vector<GpuInfo>> latest() const = 0;
  // Called from the sampler's thread after each sample; must be cheap and thread-safe.
  virtual void on_sample(std::function<void()> listener) = 0;
  virtual bool simulated() const = 0;
  // Ask for a fresh sample soon (a run just ended and freed memory); never blocks.
  virtual void request_sample() = 0;
  // FlowLine's live run sessions, so that GPU processes are marked as FlowLine's.
  virtual void set_flowline_sessions(std::vector<int64_t> sessions) = 0;
};

// For CPU-only use (no NVML): never any GPU.
class NoGpuFeed final : public GpuFeed {
 public:
  std::shared_ptr<const std::vector<GpuInfo>> latest() const override { return empty_; }
  void on_sample(std::function<void()>) override {}
  bool simulated() const override { return false; }
  void request_sample() override {}
  void set_flowline_sessions(std::vector<int64_t>) override {}

 private:
  std::shared_ptr<const std::vector<GpuInfo>> empty_ = std::make_shared<std::vector<GpuInfo>>();
};

}  // namespace flowline

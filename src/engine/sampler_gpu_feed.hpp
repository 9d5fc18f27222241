#pragma once
// GpuFeed over the GPU sampler (NVML, real or simulated).
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "engine/gpu_feed.hpp"
#include "gpu/sampler.hpp"

namespace flowline {

class SamplerGpuFeed final : public GpuFeed {
 public:
  explicit SamplerGpuFeed(Sampler& sampler);
  ~SamplerGpuFeed() override;

  std::shared_ptr<const std::vector<GpuInfo>> latest() const override;
  void on_sample(std::function<void()> listener) override;
  bool simulated() const override { return sampler_.simulated(); }
  void request_sample() override;
  void set_flowline_sessions(std::vector<int64_t> sessions) override;

 private:
  void refresh_loop();

  Sampler& sampler_;
  mutable std::mutex mutex_;
  std::function<void()> listener_;
  // Extra samples run on this thread so the engine never waits for NVML.
  std::condition_variable wanted_;
  bool sample_wanted_ = false;
  bool stopping_ = false;
  std::thread refresher_;
};

}  // namespace flowline

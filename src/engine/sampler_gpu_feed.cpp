#include "engine/sampler_gpu_feed.hpp"

namespace flowline {

SamplerGpuFeed::SamplerGpuFeed(Sampler& sampler) : sampler_(sampler) {
  sampler_.set_listener([this](const GpuSnapshot&) {
    std::lock_guard lock(mutex_);
    if (listener_) listener_();
  });
  refresher_ = std::thread([this] { refresh_loop(); });
}

SamplerGpuFeed::~SamplerGpuFeed() {
  sampler_.set_listener({});
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wanted_.notify_all();
  refresher_.join();
}

std::shared_ptr<const std::vector<GpuInfo>> SamplerGpuFeed::latest() const {
  auto snap = sampler_.latest();
  // Aliasing constructor: shares the snapshot's lifetime without copying its GPUs.
  return std::shared_ptr<const std::vector<GpuInfo>>(snap, &snap->gpus);
}

void SamplerGpuFeed::on_sample(std::function<void()> listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

void SamplerGpuFeed::request_sample() {
  {
    std::lock_guard lock(mutex_);
    sample_wanted_ = true;
  }
  wanted_.notify_one();
}

void SamplerGpuFeed::set_flowline_sessions(std::vector<int64_t> sessions) {
  sampler_.set_flowline_sessions(std::move(sessions));
}

void SamplerGpuFeed::refresh_loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    wanted_.wait(lock, [&] { return sample_wanted_ || stopping_; });
    if (stopping_) return;
    sample_wanted_ = false;
    lock.unlock();
    sampler_.sample_now();  // calls the sampler's listener, which wakes the engine
    lock.lock();
  }
}

}  // namespace flowline

#pragma once
// Samples a GpuSource on its own thread at a fixed interval, keeps each GPU's recent history,
// adds /proc facts (owner, FlowLine or not) and FlowLine's enabled/disabled GPU choice, and
// tells a listener after every sample so that the engine wakes at once.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "gpu/gpu_history.hpp"
#include "gpu/gpu_snapshot.hpp"
#include "gpu/gpu_source.hpp"

namespace flowline {

struct SamplerOptions {
  std::chrono::milliseconds interval{1000};
  size_t history_capacity = 3600;  // one hour at 1 Hz
  // `--gpus 0,2`: only these start enabled; the others are disabled at the first sample.
  std::optional<std::set<int>> enabled_only;
};

class Sampler {
 public:
  Sampler(std::unique_ptr<GpuSource> source, const Clock& clock, SamplerOptions options = {});
  ~Sampler();  // stops the thread
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;

  void start();
  void stop();
  // Samples now on the caller's thread (the periodic thread keeps its own rhythm).
  std::shared_ptr<const GpuSnapshot> sample_now();
  // The latest snapshot; an empty one before the first sample.
  std::shared_ptr<const GpuSnapshot> latest() const;
  std::vector<HistoryPoint> history(int gpu) const;

  // Called after each sample, from the sampling thread; must not call back into stop().
  void set_listener(std::function<void(const GpuSnapshot&)> listener);
  // FlowLine's live run sessions; before the first call FlowLine's processes are recognised
  // by FLOWLINE_RUN_ID in their environment.
  void set_flowline_sessions(std::vector<int64_t> sessions);
  // The GPUs `--gpus` left out (known after the first sample). Switching GPUs on and off
  // later is the engine's business (SchedulerSettings::disabled_gpus), not the sampler's.
  std::set<int> disabled() const;
  std::string describe() const { return source_->describe(); }
  bool simulated() const { return source_->simulated(); }

 private:
  void run();

  std::unique_ptr<GpuSource> source_;
  const Clock& clock_;
  const SamplerOptions options_;
  std::mutex sample_mutex_;  // one sample at a time: NvmlGpuSource reuses its buffers
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
  std::shared_ptr<const GpuSnapshot> latest_;
  std::map<int, GpuHistory> history_;
  std::function<void(const GpuSnapshot&)> listener_;
  std::optional<std::vector<int64_t>> sessions_;
  std::set<int> disabled_;
  std::optional<std::set<int>> enabled_only_;  // applied once, when the GPUs are first known
};

// Parses `--gpus 0,2,3` (the GPUs FlowLine may use).
Result<std::set<int>> parse_gpu_list(const std::string& text);

}  // namespace flowline

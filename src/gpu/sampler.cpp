#include "gpu/sampler.hpp"

#include <cstdlib>

#include "gpu/process_owner.hpp"

namespace flowline {

Sampler::Sampler(std::unique_ptr<GpuSource> source, const Clock& clock, SamplerOptions options)
    : source_(std::move(source)),
      clock_(clock),
      options_(std::move(options)),
      latest_(std::make_shared<GpuSnapshot>()),
      enabled_only_(options_.enabled_only) {}

Sampler::~Sampler() { stop(); }

void Sampler::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Sampler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Sampler::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    sample_now();
    lock.lock();
    wake_.wait_for(lock, options_.interval, [this] { return stopping_; });
  }
}

std::shared_ptr<const GpuSnapshot> Sampler::sample_now() {
  std::lock_guard one_at_a_time(sample_mutex_);
  std::optional<std::vector<int64_t>> sessions;
  {
    std::lock_guard lock(mutex_);
    sessions = sessions_;
  }
  auto snapshot = std::make_shared<GpuSnapshot>();
  snapshot->simulated = source_->simulated();
  auto gpus = source_->sample();
  snapshot->time_ms = clock_.now_ms();
  if (gpus) {
    snapshot->gpus = std::move(*gpus);
    annotate_processes(snapshot->gpus, sessions);
  } else {
    snapshot->error = gpus.error().message;
  }
  std::function<void(const GpuSnapshot&)> listener;
  {
    std::lock_guard lock(mutex_);
    if (enabled_only_ && !snapshot->gpus.empty()) {
      for (const GpuInfo& gpu : snapshot->gpus)
        if (!enabled_only_->count(gpu.index)) disabled_.insert(gpu.index);
      enabled_only_.reset();
    }
    snapshot->disabled = disabled_;
    for (const GpuInfo& gpu : snapshot->gpus) {
      auto it = history_.try_emplace(gpu.index, options_.history_capacity).first;
      it->second.push(HistoryPoint::from(snapshot->time_ms, gpu));
    }
    latest_ = snapshot;
    listener = listener_;
  }
  if (listener) listener(*snapshot);
  return snapshot;
}

std::shared_ptr<const GpuSnapshot> Sampler::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

std::vector<HistoryPoint> Sampler::history(int gpu) const {
  std::lock_guard lock(mutex_);
  auto it = history_.find(gpu);
  return it == history_.end() ? std::vector<HistoryPoint>{} : it->second.points();
}

void Sampler::set_listener(std::function<void(const GpuSnapshot&)> listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

void Sampler::set_flowline_sessions(std::vector<int64_t> sessions) {
  std::lock_guard lock(mutex_);
  sessions_ = std::move(sessions);
}

std::set<int> Sampler::disabled() const {
  std::lock_guard lock(mutex_);
  return disabled_;
}

Result<std::set<int>> parse_gpu_list(const std::string& text) {
  std::set<int> gpus;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? comma : comma - start);
    char* end = nullptr;
    long value = item.empty() ? -1 : std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end || value < 0 || value > 4095)
      return Error{"--gpus '" + text + "': expected GPU indices separated by commas, e.g. 0,2,3"};
    gpus.insert(static_cast<int>(value));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return gpus;
}

}  // namespace flowline

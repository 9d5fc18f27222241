#pragma once
// What FlowLine measured of one run's GPU memory: its peak on any one of its GPUs (the number
// `min_mem` is compared with), a compact time series of it, and the other processes that held
// memory on its GPUs at the last sample (who to blame for an out-of-memory death).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace flowline {

struct MemoryPoint {
  Millis time_ms = 0;
  int64_t mib = 0;  // the run's use on its busiest GPU
  bool operator==(const MemoryPoint&) const = default;
};

struct MemoryHolder {
  int gpu = 0;
  int64_t pid = 0;
  std::string user;  // "" when unknown
  std::string name;  // command name, "" when unknown
  int64_t mib = 0;
  bool operator==(const MemoryHolder&) const = default;
};

struct RunMemory {
  std::optional<int64_t> peak_mib;   // nullopt: never seen on a GPU (CPU-only, or too short)
  std::vector<MemoryPoint> series;
  std::vector<MemoryHolder> others;  // other processes on its GPUs at the last sample
  bool sampled = false;              // at least one sample saw its GPUs
  int64_t last_mib = 0;              // its use on its busiest GPU at the last sample
};

// A series that stays small however long the run: one point per step (the step's peak),
// and when it holds kMaxPoints, every other point goes and the step doubles.
class MemoryTrace {
 public:
  static constexpr size_t kMaxPoints = 240;
  static constexpr Millis kFirstStepMs = 5000;

  void add(Millis time_ms, int64_t mib);
  const std::vector<MemoryPoint>& points() const { return points_; }

 private:
  std::vector<MemoryPoint> points_;
  Millis step_ms_ = kFirstStepMs;
};

// "CUDA OOM on GPU 1; alice's python (pid 4242) held 21,300 MiB" — the largest holders first,
// at most three; "" when no one else held memory.
std::string describe_holders(const std::vector<MemoryHolder>& others);
// 21300 -> "21,300".
std::string with_thousands(int64_t n);

// Text forms for the store: "time:mib,time:mib"; holders one per line, fields tab-separated
// with tabs, newlines and backslashes escaped. Decoding skips what it cannot read.
std::string encode_series(const std::vector<MemoryPoint>& series);
std::vector<MemoryPoint> decode_series(const std::string& text);
std::string encode_holders(const std::vector<MemoryHolder>& holders);
std::vector<MemoryHolder> decode_holders(const std::string& text);

}  // namespace flowline

#pragma once
// Only the system clock implementation reads the time; tests use a fake (DESIGN.md §4.5).
#include <chrono>
#include <cstdint>

namespace flowline {

using Millis = int64_t;  // milliseconds since the Unix epoch

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Millis now_ms() const = 0;
  // How far the system's clock has moved from now_ms() since the start (positive: it is
  // ahead). Only SystemClock, which never jumps with the system clock, has any.
  virtual Millis drift_ms() const { return 0; }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Millis start = 1'000'000) : now_(start) {}
  Millis now_ms() const override { return now_; }
  void advance(Millis ms) { now_ += ms; }

 private:
  Millis now_;
};

}  // namespace flowline

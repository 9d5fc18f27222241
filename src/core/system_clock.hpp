#pragma once
// The one Clock that reads the real time (DESIGN.md §4.5). It reads the system clock once, at
// start, and counts on from there with the monotonic clock. A later jump of the system clock
// (NTP stepping it, someone setting it) then moves no backoff, timeout or pacing of the loop:
// counted on the wall clock, a jump back of an hour froze the loop's publishing, the table's
// write-back and every backoff for that hour (issue 14). The price: after such a jump the
// times FlowLine records differ from the system's by the jump, until it restarts; drift_ms()
// says by how much, and the engine tells the user.
#include <chrono>
#include <functional>

#include "core/clock.hpp"

namespace flowline {

class SystemClock final : public Clock {
 public:
  using Source = std::function<Millis()>;  // milliseconds on some clock

  SystemClock() : SystemClock(read_wall, read_steady) {}
  // For tests: other sources of wall and monotonic time.
  SystemClock(Source wall, Source steady)
      : wall_(std::move(wall)),
        steady_(std::move(steady)),
        wall_at_start_(wall_()),
        steady_at_start_(steady_()) {}

  Millis now_ms() const override { return wall_at_start_ + (steady_() - steady_at_start_); }
  Millis drift_ms() const override { return wall_() - now_ms(); }

 private:
  static Millis read_wall() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  static Millis read_steady() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }

  Source wall_;
  Source steady_;
  Millis wall_at_start_;
  Millis steady_at_start_;
};

}  // namespace flowline

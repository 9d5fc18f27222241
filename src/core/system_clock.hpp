#pragma once
// The one Clock that reads the real time (DESIGN.md §4.5).
#include <chrono>

#include "core/clock.hpp"

namespace flowline {

class SystemClock final : public Clock {
 public:
  Millis now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace flowline

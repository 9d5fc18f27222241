#pragma once
// The engine's recent events for readers that may be slow (each HTTP event stream): the
// engine's loop only appends to a fixed-size ring and never waits; each reader keeps its own
// place (the last sequence number it read). A reader that falls a whole ring behind has lost
// events and is told so (an event stream then ends, and its client resumes or refetches).
// A restarted client resumes from its Last-Event-ID while that event is still in the ring.
#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "engine/engine_api.hpp"

namespace flowline::events {

struct RingItem {
  uint64_t seq = 0;
  EventKind kind = EventKind::kNotice;
  std::string json;  // front/json/engine_json.hpp's event(), serialised once for every reader
};

enum class RingWait { kEvents, kTimeout, kFellBehind, kClosed };

class EventRing {
 public:
  static constexpr size_t kDefaultCapacity = 4096;
  explicit EventRing(EngineApi& engine, size_t capacity = kDefaultCapacity);
  ~EventRing();
  EventRing(const EventRing&) = delete;
  EventRing& operator=(const EventRing&) = delete;

  // Appends events after `after` to `out` (at most `max`), waiting up to `timeout` for the
  // first one. kFellBehind: events after `after` are no longer kept.
  RingWait wait_after(uint64_t after, std::chrono::milliseconds timeout,
                      std::vector<RingItem>& out, size_t max = 256);
  uint64_t last_seq() const;
  // Wakes every reader for good (the server is stopping).
  void close();
  // How many events of each kind since the ring started (for /metrics).
  using KindCounts = std::array<uint64_t, static_cast<size_t>(kLastEventKind) + 1>;
  KindCounts counts() const;

 private:
  void push(const EngineEvent& event);  // on the engine's loop thread

  EngineApi& engine_;
  const size_t capacity_;
  int listener_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<RingItem> items_;
  uint64_t last_seq_ = 0;
  uint64_t last_dropped_seq_ = 0;  // the newest event pushed out of the ring
  KindCounts counts_{};
  bool closed_ = false;
};

}  // namespace flowline::events

#pragma once
// The engine's recent events for readers that may be slow (each HTTP event stream). The
// engine's loop only hands an event to this ring's own thread (one short lock no reader ever
// takes); that thread serialises it and appends it to a fixed-size ring, waking the readers at
// most every kCoalesce, so that a burst of events costs each reader one wake-up. Each reader
// keeps its own place (the last sequence number it read); one that falls a whole ring behind
// has lost events and is told so (an event stream then ends, and its client resumes or
// refetches). A client that reconnects resumes from its Last-Event-ID while that event is
// still in the ring.
#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine_api.hpp"

namespace flowline::events {

struct RingItem {
  uint64_t seq = 0;
  EventKind kind = EventKind::kNotice;
  std::string json;  // front/json/engine_json.hpp's event(), serialised once for every reader
};
using RingItemPtr = std::shared_ptr<const RingItem>;

enum class RingWait { kEvents, kTimeout, kFellBehind, kClosed };

class EventRing {
 public:
  static constexpr size_t kDefaultCapacity = 4096;
  static constexpr std::chrono::milliseconds kCoalesce{100};
  explicit EventRing(EngineApi& engine, size_t capacity = kDefaultCapacity);
  ~EventRing();
  EventRing(const EventRing&) = delete;
  EventRing& operator=(const EventRing&) = delete;

  // Appends events after `after` to `out` (at most `max`), waiting up to `timeout` for the
  // first one. kFellBehind: events after `after` are no longer kept.
  RingWait wait_after(uint64_t after, std::chrono::milliseconds timeout,
                      std::vector<RingItemPtr>& out, size_t max = 256);
  uint64_t last_seq() const;
  // Wakes every reader for good (the server is stopping).
  void close();

 private:
  void hand_over(const EngineEvent& event);  // on the engine's loop thread
  void publish_loop();                       // the ring's own thread
  void append(std::vector<EngineEvent>& events);

  EngineApi& engine_;
  const size_t capacity_;
  int listener_ = 0;

  std::mutex inbox_mutex_;  // the engine's thread and publish_loop only
  std::condition_variable inbox_changed_;
  std::vector<EngineEvent> inbox_;
  bool stopping_ = false;

  mutable std::mutex mutex_;  // the ring: publish_loop and readers
  std::condition_variable changed_;
  std::deque<RingItemPtr> items_;
  uint64_t last_seq_ = 0;
  uint64_t last_dropped_seq_ = 0;  // the newest event pushed out of the ring
  bool closed_ = false;

  std::thread thread_;  // last: it starts once everything it uses exists
};

}  // namespace flowline::events

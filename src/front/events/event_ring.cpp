#include "front/events/event_ring.hpp"

#include "front/json/engine_json.hpp"

namespace flowline::events {

// Bounds what the engine can pile up if the ring's thread is starved: beyond it the oldest
// waiting events are dropped, as readers that far behind would be dropped anyway.
constexpr size_t kMaxInbox = 16384;

EventRing::EventRing(EngineApi& engine, size_t capacity) : engine_(engine), capacity_(capacity) {
  thread_ = std::thread([this] { publish_loop(); });
  listener_ = engine_.subscribe([this](const EngineEvent& event) { hand_over(event); },
                                EngineApi::Earlier::kSkip);
}

EventRing::~EventRing() {
  engine_.unsubscribe(listener_);
  {
    std::lock_guard lock(inbox_mutex_);
    stopping_ = true;
  }
  inbox_changed_.notify_one();
  thread_.join();
  close();
}

void EventRing::hand_over(const EngineEvent& event) {
  {
    std::lock_guard lock(inbox_mutex_);
    if (inbox_.size() >= kMaxInbox) inbox_.erase(inbox_.begin());
    inbox_.push_back(event);
  }
  inbox_changed_.notify_one();
}

void EventRing::publish_loop() {
  std::vector<EngineEvent> batch;
  while (true) {
    {
      std::unique_lock lock(inbox_mutex_);
      inbox_changed_.wait(lock, [this] { return stopping_ || !inbox_.empty(); });
      if (stopping_) return;
      batch.swap(inbox_);
    }
    append(batch);
    batch.clear();
    // Events that come in the meantime wait for the next round: one wake-up for a burst.
    std::unique_lock lock(inbox_mutex_);
    inbox_changed_.wait_for(lock, kCoalesce, [this] { return stopping_; });
  }
}

void EventRing::append(std::vector<EngineEvent>& events) {
  std::vector<RingItemPtr> made;
  made.reserve(events.size());
  for (const EngineEvent& e : events)
    made.push_back(std::make_shared<const RingItem>(RingItem{e.seq, e.kind, json::event(e).dump()}));
  {
    std::lock_guard lock(mutex_);
    for (RingItemPtr& item : made) {
      if (items_.size() >= capacity_) {
        last_dropped_seq_ = items_.front()->seq;
        items_.pop_front();
      }
      last_seq_ = std::max(last_seq_, item->seq);
      items_.push_back(std::move(item));
    }
  }
  changed_.notify_all();
}

RingWait EventRing::wait_after(uint64_t after, std::chrono::milliseconds timeout,
                               std::vector<RingItemPtr>& out, size_t max) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return closed_ || last_seq_ > after; });
  if (closed_) return RingWait::kClosed;
  if (after < last_dropped_seq_) return RingWait::kFellBehind;
  if (last_seq_ <= after) return RingWait::kTimeout;
  // Sequence numbers only grow: the first item after `after` is found by binary search.
  auto first = std::upper_bound(items_.begin(), items_.end(), after,
                                [](uint64_t seq, const RingItemPtr& item) { return seq < item->seq; });
  for (auto it = first; it != items_.end() && out.size() < max; ++it) out.push_back(*it);
  return RingWait::kEvents;
}

uint64_t EventRing::last_seq() const {
  std::lock_guard lock(mutex_);
  return last_seq_;
}

void EventRing::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
}

}  // namespace flowline::events

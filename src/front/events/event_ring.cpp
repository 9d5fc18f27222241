#include "front/events/event_ring.hpp"

#include "front/json/engine_json.hpp"

namespace flowline::events {

EventRing::EventRing(EngineApi& engine, size_t capacity) : engine_(engine), capacity_(capacity) {
  listener_ = engine_.subscribe([this](const EngineEvent& event) { push(event); },
                                EngineApi::Earlier::kSkip);
}

EventRing::~EventRing() {
  engine_.unsubscribe(listener_);
  close();
}

void EventRing::push(const EngineEvent& event) {
  RingItem item{event.seq, event.kind, json::event(event).dump()};
  {
    std::lock_guard lock(mutex_);
    ++counts_[static_cast<size_t>(event.kind)];
    if (items_.size() >= capacity_) {
      last_dropped_seq_ = items_.front().seq;
      items_.pop_front();
    }
    last_seq_ = std::max(last_seq_, event.seq);
    items_.push_back(std::move(item));
  }
  changed_.notify_all();
}

RingWait EventRing::wait_after(uint64_t after, std::chrono::milliseconds timeout,
                               std::vector<RingItem>& out, size_t max) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return closed_ || last_seq_ > after; });
  if (closed_) return RingWait::kClosed;
  if (after < last_dropped_seq_) return RingWait::kFellBehind;
  if (last_seq_ <= after) return RingWait::kTimeout;
  // Sequence numbers only grow: the first item after `after` is found by binary search.
  auto first = std::upper_bound(items_.begin(), items_.end(), after,
                                [](uint64_t seq, const RingItem& item) { return seq < item.seq; });
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

EventRing::KindCounts EventRing::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

}  // namespace flowline::events

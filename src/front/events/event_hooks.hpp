#pragma once
// `--on-event PROGRAM`: tells a program of the user's (mail, a chat webhook, a phone notifier)
// about chosen engine events, one hook run per event with its JSON on stdin. The engine's loop
// never waits for a hook: its listener only appends to a bounded queue that one worker thread
// drains, one hook at a time, in order. When hooks are slower than events come, the oldest
// queued events are dropped (the newest matter most to someone being told) and the next hook
// is told how many with "dropped_before". A hook that fails is reported and FlowLine goes on.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine_api.hpp"

namespace flowline::events {

// What a user wants to be told by mail, chat or phone: failed, oom, lost, all_done.
std::set<EventKind> default_hook_kinds();

struct HookOptions {
  std::string program;  // run by /bin/sh -c once per event
  std::set<EventKind> kinds = default_hook_kinds();
  std::string table;  // the table file, added to each event as "table" ("" = not added)
  std::chrono::milliseconds time_limit{10000};  // per hook run: then SIGTERM…
  std::chrono::milliseconds kill_grace{2000};   // …and SIGKILL this long after
  size_t capacity = 1000;                       // events waiting for the hook
  std::chrono::milliseconds drain_limit{3000};  // at exit, for the events still waiting
};

class EventHooks {
 public:
  // A line for the user (a failed hook, dropped events); called on the worker's thread.
  using Report = std::function<void(const std::string&)>;

  EventHooks(EngineApi& engine, HookOptions options, Report report);
  // Stops listening, gives the hooks still waiting up to drain_limit, then stops the one
  // running (SIGTERM, SIGKILL after kill_grace) and says how many events were not told.
  ~EventHooks();
  EventHooks(const EventHooks&) = delete;
  EventHooks& operator=(const EventHooks&) = delete;

 private:
  void push(const EngineEvent& event);  // on the engine's loop thread: never waits on a hook
  void work();                          // the worker thread
  void tell(const EngineEvent& event, uint64_t dropped_before);
  std::string hook_input(const EngineEvent& event, uint64_t dropped_before) const;

  EngineApi& engine_;
  const HookOptions options_;
  const Report report_;
  std::vector<bool> wanted_;  // by EventKind: checked without the lock
  int cancel_fd_ = -1;        // an eventfd: readable once the running hook must stop now

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<EngineEvent> queue_;
  uint64_t dropped_ = 0;  // since the worker last took an event
  bool closing_ = false;  // no more events come: drain and end
  bool give_up_ = false;  // out of time at exit: start no more hooks
  bool done_ = false;     // the worker has ended

  int listener_ = 0;
  std::thread worker_;  // last: it starts once everything it reads exists
};

}  // namespace flowline::events

#include "front/events/event_hooks.hpp"

#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "core/task_table.hpp"
#include "front/events/hook_process.hpp"
#include "front/json/engine_json.hpp"

namespace flowline::events {
namespace {

constexpr size_t kMaxShownProgram = 60;

std::string shown_program(const std::string& program) {
  if (program.size() <= kMaxShownProgram) return "'" + program + "'";
  return "'" + program.substr(0, kMaxShownProgram) + "…'";
}

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? "SIG" + std::string(abbrev) : "signal " + std::to_string(sig);
}

// "event 12 (failed, task lr=0.1)": which event a report is about.
std::string event_label(const EngineEvent& event) {
  std::string label =
      "event " + std::to_string(event.seq) + " (" + std::string(event_kind_name(event.kind));
  if (!event.task_name.empty()) label += ", task " + event.task_name;
  return label + ")";
}

// Why a hook run did not succeed, or "" when it did.
std::string failure_of(const HookOutcome& o, std::chrono::milliseconds limit) {
  std::string why;
  if (o.cancelled)
    why = "was stopped: FlowLine is exiting";
  else if (o.timed_out)
    why = "took longer than " + timeout_seconds_text(limit.count()) + " s and was stopped";
  else if (o.signal != 0)
    why = "was killed by " + signal_name(o.signal);
  else if (o.exit_code != 0)
    why = "exited with status " + std::to_string(o.exit_code);
  else
    return "";
  return o.first_error_line.empty() ? why + " (no stderr)" : why + ": " + o.first_error_line;
}

// A hook that exits without reading its stdin must cost it an EPIPE, never FlowLine a
// SIGPIPE; a SIGPIPE left pending on this thread is discarded when the thread ends.
void block_sigpipe_on_this_thread() {
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
}

}  // namespace

std::set<EventKind> default_hook_kinds() {
  return {EventKind::kRunFailed, EventKind::kRunOom, EventKind::kRunLost, EventKind::kAllDone};
}

EventHooks::EventHooks(EngineApi& engine, HookOptions options, Report report)
    : engine_(engine),
      options_(std::move(options)),
      report_(std::move(report)),
      wanted_(static_cast<size_t>(kLastEventKind) + 1, false),
      cancel_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  for (EventKind kind : options_.kinds) wanted_[static_cast<size_t>(kind)] = true;
  worker_ = std::thread([this] { work(); });
  // kSkip: what was said before this (recovery's messages) stays for the listener that shows
  // it to a person; hooks hear what happens from now on.
  listener_ = engine_.subscribe([this](const EngineEvent& event) { push(event); },
                                EngineApi::Earlier::kSkip);
}

EventHooks::~EventHooks() {
  engine_.unsubscribe(listener_);  // once it returns, push() is not running and never will
  size_t untold = 0;
  {
    std::unique_lock lock(mutex_);
    closing_ = true;
    changed_.notify_all();
    if (!changed_.wait_for(lock, options_.drain_limit, [&] { return done_; })) {
      give_up_ = true;
      untold = queue_.size();
      queue_.clear();
      const uint64_t one = 1;
      if (cancel_fd_ >= 0) (void)!write(cancel_fd_, &one, sizeof one);
    }
  }
  worker_.join();
  if (cancel_fd_ >= 0) close(cancel_fd_);
  if (untold > 0)
    report_("--on-event: " + std::to_string(untold) +
            " events were not told: FlowLine is exiting and the hook did not keep up");
}

void EventHooks::push(const EngineEvent& event) {
  if (!wanted_[static_cast<size_t>(event.kind)]) return;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= std::max<size_t>(options_.capacity, 1)) {
      queue_.pop_front();
      ++dropped_;
    }
    queue_.push_back(event);
  }
  changed_.notify_all();
}

void EventHooks::work() {
  block_sigpipe_on_this_thread();
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return closing_ || !queue_.empty(); });
    if (give_up_ || queue_.empty()) break;  // out of time, or closing with nothing left
    EngineEvent event = std::move(queue_.front());
    queue_.pop_front();
    const uint64_t dropped = std::exchange(dropped_, 0);
    lock.unlock();
    // Once per overflow, with its count: the hook itself hears it as "dropped_before".
    if (dropped > 0)
      report_("--on-event: " + std::to_string(dropped) + " events dropped before " +
              event_label(event) + ": the hook is slower than events come (at most " +
              std::to_string(options_.capacity) + " wait, the oldest go first)");
    tell(event, dropped);
    lock.lock();
  }
  done_ = true;
  changed_.notify_all();
}

void EventHooks::tell(const EngineEvent& event, uint64_t dropped_before) {
  HookCommand command;
  command.shell_command = options_.program;
  command.input = hook_input(event, dropped_before);
  command.time_limit = options_.time_limit;
  command.grace = options_.kill_grace;
  command.cancel_fd = cancel_fd_;
  const std::string who = "--on-event " + shown_program(options_.program);
  Result<HookOutcome> outcome = run_hook(command);
  if (!outcome) {
    report_(who + " could not be started for " + event_label(event) + ": " +
            outcome.error().message);
    return;
  }
  std::string why = failure_of(*outcome, options_.time_limit);
  if (!why.empty()) report_(who + " failed for " + event_label(event) + ": " + why);
}

std::string EventHooks::hook_input(const EngineEvent& event, uint64_t dropped_before) const {
  nlohmann::json j = json::event(event);
  if (!options_.table.empty()) j["table"] = options_.table;
  if (dropped_before > 0) j["dropped_before"] = dropped_before;
  // A task name from the table may hold bytes that are not UTF-8: replaced, never thrown on.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace flowline::events

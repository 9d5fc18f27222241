#include "engine/engine.hpp"

#include <poll.h>

#include <algorithm>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <limits>
#include <thread>

#include "core/command_program.hpp"
#include "core/file_name.hpp"
#include "core/oom_hint.hpp"
#include "core/task_wait.hpp"
#include "engine/run_outcome_of.hpp"
#include "table/heap_tuning.hpp"

namespace flowline {
namespace {

// A snapshot copies every task, so building one after every event made a run of many short
// tasks quadratic (2000 tasks: 4000 events x 2000 copies). Snapshots are for people and front
// ends, so one at most every 50 ms is as good; the loop never sleeps on a stale one (see
// wait_for_event) and a command's effect is published at once.
constexpr Millis kPublishEveryMs = 50;

// Elapsed times of live runs in a snapshot are at most this old.
constexpr Millis kRefreshLiveMs = 1000;

// Views rebuilt for at least this many tasks leave enough freed heap to be worth handing
// back; the walk of the heap that does it is paid at most every 10 s.
constexpr size_t kLargeViewList = 10000;
constexpr Millis kHeapReleaseEveryMs = 10000;

// What is said before the first listener subscribes is kept for it, up to this many messages.
constexpr size_t kMaxUnheard = 1000;

std::string join_gpus(const std::vector<int>& gpus) {
  std::string out;
  for (int g : gpus) {
    if (!out.empty()) out += ',';
    out += std::to_string(g);
  }
  return out;
}

// A built command that names no program would fail in /bin/sh with a puzzling message
// ("Illegal option --"); its launch fails here instead, saying why and what to do.
Result<std::string> with_program(Result<std::string> command) {
  if (!command.ok()) return command;
  if (auto why = missing_program(*command))
    return Error{*why + ": " + std::string(kMissingProgramHint)};
  return command;
}

RunState run_state_of(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::kSucceeded:
      return RunState::kSucceeded;
    case RunOutcome::kOutOfMemory:
      return RunState::kOom;
    case RunOutcome::kFailed:
      return RunState::kFailed;
    case RunOutcome::kTimedOut:
      return RunState::kTimeout;
    case RunOutcome::kKilled:
      return RunState::kKilled;
    case RunOutcome::kLost:
      return RunState::kLost;
  }
  return RunState::kFailed;
}

}  // namespace

Engine::Engine(EngineConfig config, TaskTable table, EngineParts parts)
    : config_(std::move(config)),
      parts_(std::move(parts)),
      scheduler_({}, config_.settings),
      mirror_([this](const std::vector<RunNumUpdate>& u) { return write_run_nums(u); },
              config_.table_coalesce_ms, *parts_.clock),
      table_(config_.table_path, [this] { wakeup_.notify(); }),
      initial_table_(std::move(table)),
      initial_signature_(config_.table_signature ? config_.table_signature
                                                 : file_signature(config_.table_path)),
      initial_rows_(row_keys(initial_table_->tasks)) {
  started_ms_ = parts_.clock->now_ms();
  parts_.gpus->on_sample([this] { wakeup_.notify(); });
  if (parts_.builder->may_take_long())
    builds_ = std::make_unique<BuildJobs>(*parts_.builder, wakeup_);
  publish();
}

Engine::~Engine() { parts_.gpus->on_sample({}); }

void Engine::tell(EngineEvent event) {
  event.time_ms = parts_.clock->now_ms();
  ++events_told_[static_cast<size_t>(event.kind)];
  unsaid_.push_back(std::move(event));
  publish_pending_ = true;
}

void Engine::tell_task(EventKind kind, const Task& task, std::string text) {
  EngineEvent event;
  event.kind = kind;
  event.task_id = task.id;
  event.task_name = task.name;
  event.text = std::move(text);
  tell(std::move(event));
}

// GPU samples (for charts) and the end of the sweep, each told once.
void Engine::tell_progress_events() {
  // At most one a second (the sampler's own rhythm): the extra samples taken when a run ends
  // would otherwise add an event to every run for every listener.
  auto gpus = parts_.gpus->latest();
  const Millis now = parts_.clock->now_ms();
  if (gpus.get() != told_sample_ && !gpus->empty() && now >= told_sample_ms_ + 1000) {
    told_sample_ = gpus.get();
    told_sample_ms_ = now;
    tell({EventKind::kGpuSample, {}, {}, {}, {}, {}, {}});
  }
  const bool finished = scheduler_.finished() && !scheduler_.tasks().empty();
  if (finished && !told_all_done_) {
    int64_t done = 0, failed = 0;
    for (const auto& p : scheduler_.tasks()) {
      if (p.removed) continue;
      if (p.failed || p.infeasible)
        ++failed;
      else if (!p.dropped)
        ++done;
    }
    tell({EventKind::kAllDone,
          {},
          {},
          {},
          {},
          {},
          "every task has finished: " + std::to_string(done) + " done, " + std::to_string(failed) +
              " failed or cannot run"});
  }
  told_all_done_ = finished;
}

// Log file names a user can find with `ls log/`: run id first for order, then the task name
// in whatever script it is written (core/file_name.hpp).
std::string Engine::log_stem(int64_t run_id, const Task& task) const {
  return config_.log_dir + "/" + std::to_string(run_id) + "-" + safe_file_name(task.name);
}

void Engine::mirror_run_num(const Task& task, Millis now) {
  if (!scheduler_.has_task(task.id)) return;  // its row left the table: credited to no row
  if (!config_.table_has_run_num && !run_num_column_written_) {
    for (const auto& p : scheduler_.tasks())
      if (!p.removed) mirror_.set_run_num(p.task->id, p.task->run_num, now);
    run_num_column_written_ = true;
  }
  mirror_.set_run_num(task.id, task.run_num, now);
}

void Engine::request_stop(StopMode mode) {
  stop_mode_.store(static_cast<int>(mode));
  wakeup_.notify();
}

Result<std::string> Engine::call(Command fn) {
  if (std::this_thread::get_id() == loop_thread_) return fn(*this);  // already on the loop
  std::future<Result<std::string>> answer;
  {
    std::lock_guard lock(pending_mutex_);
    if (loop_done_) return unavailable("FlowLine is shutting down; command not run");
    pending_.push_back(Pending{std::move(fn), {}});
    answer = pending_.back().reply.get_future();
  }
  wakeup_.notify();
  return answer.get();
}

bool Engine::run_commands() {
  std::deque<Pending> batch;
  {
    std::lock_guard lock(pending_mutex_);
    batch.swap(pending_);
  }
  // Publish before answering: a front end that asks again right after the answer (`kill 3`,
  // then `ls`) must see the command's effect.
  for (auto& p : batch) {
    Result<std::string> answer = p.fn(*this);
    publish();
    p.reply.set_value(std::move(answer));
  }
  return !batch.empty();
}

void Engine::refuse_pending_commands() {
  std::deque<Pending> rest;
  {
    std::lock_guard lock(pending_mutex_);
    loop_done_ = true;
    rest.swap(pending_);
  }
  for (auto& p : rest) p.reply.set_value(unavailable("FlowLine is shutting down; command not run"));
}

std::shared_ptr<const EngineSnapshot> Engine::snapshot() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

int Engine::run() {
  begin();
  for (Step next = step(); next != Step::kEnd; next = step())
    if (next == Step::kWait) wait_for_event(parts_.clock->now_ms());
  return end();
}

void Engine::begin() {
  if (!recovered_) {
    if (Status s = recover(); !s.ok()) say("cannot recover: " + s.error().message);
  }
  if (config_.watch_table) table_.start(initial_signature_, std::move(initial_rows_));
  loop_thread_ = std::this_thread::get_id();
  // The first pass publishes whatever it started: a front end that reads the snapshot when the
  // first run ends (batch progress lines) must not see the state from before any launch.
  first_pass_ = true;
}

Engine::Step Engine::step() {
  bool commanded = run_commands();
  take_table_version();
  observe_memory();
  collect_exits();
  int mode = stop_mode_.load();
  if (mode == static_cast<int>(StopMode::kStopRuns)) stop_all_runs();
  if (mode == static_cast<int>(StopMode::kLeaveRuns) ||
      (mode == static_cast<int>(StopMode::kStopRuns) && live_.empty())) {
    record_settled_exits();
    return Step::kEnd;
  }
  finish_builds(mode < 0);
  if (mode < 0 && (commanded || dispatch_may_launch())) dispatch();
  record_settled_exits();
  tell_progress_events();
  Millis now = parts_.clock->now_ms();
  note_clock_drift();
  note_table_write(mirror_.flush(now), now);
  if (commanded || first_pass_ || state_changed_since_publish(now))
    publish_when_due(now, commanded || first_pass_);
  first_pass_ = false;
  if (mode < 0 && config_.exit_when_finished && scheduler_.finished() &&
      unrecorded_exits_.empty()) {
    if (!table_settled()) return Step::kAgain;  // the newest version may add work
    return Step::kEnd;
  }
  release_heap_when_due(now);
  return Step::kWait;
}

int Engine::end() {
  if (Status s = mirror_.flush(parts_.clock->now_ms(), true); !s.ok())
    table_unwritten_ = s.error().message;
  else if (mirror_.has_pending())
    table_unwritten_ = config_.table_path + " holds a version that could not be read";
  if (!table_unwritten_.empty()) {
    table_unwritten_ =
        "the results of finished runs could not be written into the table: " + table_unwritten_ +
        " (they are kept in the state directory and written "
        "at the next start)";
    say(table_unwritten_);
  }
  publish();
  refuse_pending_commands();
  if (stop_mode_.load() >= 0 && !scheduler_.finished()) return 130;
  return scheduler_.all_done() && table_unwritten_.empty() ? 0 : 1;
}

void Engine::note_table_write(const Status& flushed, Millis now) {
  std::optional<std::string> say_now;
  if (!flushed.ok())
    say_now = table_write_failure_.failed("cannot update the table: " + flushed.error().message,
                                          now);
  else if (!mirror_.has_pending())
    say_now = table_write_failure_.succeeded(now);
  if (say_now) say(*say_now);
}

// The engine's clock does not follow a jump of the system clock (core/system_clock.hpp): said
// once per jump of a minute or more, so that times that differ from `date` are explained.
void Engine::note_clock_drift() {
  constexpr Millis kWorthSaying = 60'000;
  const Millis drift = parts_.clock->drift_ms();
  if (std::abs(drift - drift_said_ms_) < kWorthSaying) return;
  drift_said_ms_ = drift;
  say("the system clock " + std::string(drift > 0 ? "jumped ahead" : "went back") + " by " +
      std::to_string((std::abs(drift) + 500) / 1000) + " s since FlowLine started: backoffs, timeouts "
      "and pacing are not moved by it, and the times FlowLine records keep counting from its "
      "start (they differ from the system's by that much until FlowLine restarts)");
}

bool Engine::table_settled() {
  if (!config_.watch_table) return true;
  if (std::optional<TableVersion> ready = table_.take()) {
    (void)apply_version(std::move(*ready));
    return false;
  }
  if (!table_.has_unseen_version()) return true;
  Result<TableChange> change = apply_version(table_.read_now());
  if (change.ok()) tell_table_change(*change);
  return !change.ok() && !table_.has_unseen_version();
}

void Engine::wait_for_event(Millis now) {
  std::vector<pollfd> fds{{wakeup_.fd(), POLLIN, 0}};
  for (int fd : parts_.executor->wait_fds()) fds.push_back({fd, POLLIN, 0});
  std::optional<Millis> until = scheduler_.next_wakeup(now);
  if (!space_pause_.empty() && (!until || space_recheck_ms_ < *until)) until = space_recheck_ms_;
  // Unrecorded exits are tried again within a second even when nothing else happens.
  if (!unrecorded_exits_.empty() && (!until || *until > now + 1000)) until = now + 1000;
  if (auto flush = mirror_.next_flush(); flush && (!until || *flush < *until)) until = flush;
  if (auto poll = parts_.executor->next_poll_ms(now); poll && (!until || *poll < *until))
    until = poll;
  if (publish_pending_) {
    Millis due = last_publish_ms_ + kPublishEveryMs;
    if (!until || due < *until) until = due;
  }
  // While runs are alive, refresh the snapshot once a second so elapsed times stay current
  // (cheap: the task views are shared with the last snapshot).
  if (!live_.empty() && (!until || *until > now + kRefreshLiveMs)) until = now + kRefreshLiveMs;
  int timeout = -1;
  if (until) timeout = static_cast<int>(std::clamp<Millis>(*until - now, 0, 60'000));
  int n = poll(fds.data(), fds.size(), timeout);
  if (n < 0 && errno != EINTR) say(std::string("poll failed: ") + strerror(errno));
  if (fds[0].revents & POLLIN) wakeup_.drain();
}

void Engine::collect_exits() {
  std::vector<RunExit> exits = parts_.executor->collect_exits();
  const std::string trouble = parts_.executor->trouble();
  const Millis now = parts_.clock->now_ms();
  std::optional<std::string> say_now = trouble.empty() ? executor_trouble_.succeeded(now)
                                                       : executor_trouble_.failed(trouble, now);
  if (say_now) say(*say_now);
  for (const RunExit& exit : exits) {
    // What the run was, read before settle_exit() forgets it, and how it ended, after.
    auto live = live_.find(exit.run_id);
    const bool known = live != live_.end();
    const int64_t task_id = known ? live->second.view.task_id : 0;
    const Millis started_ms = known ? live->second.view.started_ms : 0;
    const size_t settled = unrecorded_exits_.size();
    settle_exit(exit);
    if (known && unrecorded_exits_.size() > settled)
      learn_duration(task_id, started_ms, unrecorded_exits_.back().outcome);
  }
}

// Called after the launches that the exits made room for: writing the store and removing the
// runs' records takes a transaction and three file-system calls per run, which need not
// delay the next run. Until then the executor's exit record on disk still holds the outcome,
// so a crash in between loses nothing (a restart collects it again).
void Engine::record_settled_exits() {
  // A run whose end could not be recorded stays here and is tried again: a restart would
  // otherwise collect its exit a second time and credit its row twice.
  std::vector<SettledExit> unrecorded;
  const Millis now = parts_.clock->now_ms();
  for (SettledExit& settled : unrecorded_exits_) {
    const RunExit& exit = settled.exit;
    Status recorded =
        parts_.store->record_exit(exit.run_id, exit, run_state_of(settled.outcome),
                                  std::string(outcome_name(settled.outcome)), settled.message);
    if (!recorded.ok()) {
      if (auto line = exit_record_failure_.failed(
              "cannot record run " + std::to_string(exit.run_id) + ": " + recorded.error().message,
              now))
        say(*line);
      unrecorded.push_back(std::move(settled));
      continue;
    }
    if (auto line = exit_record_failure_.succeeded(now)) say(*line);
    parts_.executor->forget(exit.run_id);  // its record is in the store now
    const RunMemory& m = settled.memory;
    if (!m.sampled) continue;
    if (Status s = parts_.store->record_run_memory(exit.run_id, m.peak_mib, encode_series(m.series),
                                                   encode_holders(m.others));
        !s.ok())
      say("cannot record the GPU memory of run " + std::to_string(exit.run_id) + ": " +
          s.error().message);
  }
  unrecorded_exits_ = std::move(unrecorded);
}

void Engine::settle_exit(const RunExit& exit) {
  auto it = live_.find(exit.run_id);
  if (it == live_.end()) return;
  const RunView& view = it->second.view;
  bool by_user = killed_by_user_.erase(exit.run_id) > 0 || (exit.stopped && stop_mode_.load() >= 0);
  ClassifiedExit result = classify_exit(exit, by_user, view.out_path, view.err_path);
  observe_memory();  // the last sample before it died, if one came since
  RunMemory memory = memory_.finish(exit.run_id);
  // Under Slurm the run's GPUs are not known here: its task's count says whether it had any.
  const bool had_gpu = !view.gpus.empty() || (parts_.executor->places_gpus() &&
                                               scheduler_.knows_task(view.task_id) &&
                                               scheduler_.tasks()[view.task_id].task->gpus > 0);
  if (result.outcome == RunOutcome::kOutOfMemory && !had_gpu) {
    // Without a GPU, "out of memory" in its output is not about GPU memory: waiting for
    // more would never help.
    result = {RunOutcome::kFailed, result.message + " (the task uses no GPU: an ordinary failure)"};
  } else if (result.outcome == RunOutcome::kOutOfMemory && !memory.others.empty()) {
    result.message += "; " + describe_holders(memory.others);
  }
  Millis now = parts_.clock->now_ms();
  const OomFacts oom = oom_facts(view, memory);
  unrecorded_exits_.push_back({exit, result.outcome, result.message, std::move(memory)});
  scheduler_.on_exit(exit.run_id, result.outcome, result.message, now, oom);
  if (oom.peak_mib) scheduler_.note_peak(view.task_id, *oom.peak_mib);
  const TaskProgress& progress = scheduler_.tasks()[view.task_id];
  const auto task_held = progress.task;  // kept alive across edits
  const Task& task = *task_held;
  if (result.outcome == RunOutcome::kSucceeded) mirror_run_num(task, now);
  EngineEvent ended;
  ended.kind = event_kind_of(result.outcome);
  ended.task_id = task.id;
  ended.run_id = exit.run_id;
  ended.task_name = task.name;
  ended.text =
      "run " + std::to_string(exit.run_id) + " of task " + std::to_string(task.id) + " (" +
      task.name + ") " + std::string(outcome_name(result.outcome)) +
      (result.message.empty() ? "" : ": " + result.message) +
      (progress.removed ? " (its row is no longer in the table: recorded, credited to no row)"
                        : "");
  tell(std::move(ended));
  if (result.outcome == RunOutcome::kOutOfMemory) {
    std::string hint = progress.failed ? ""
                                       : repeated_oom_hint(progress.oom_requeues,
                                                           scheduler_.requirement_of(progress));
    if (!hint.empty()) say("task " + std::to_string(task.id) + " (" + task.name + "): " + hint);
  }
  live_.erase(it);
  tell_feed_our_sessions();
  parts_.gpus->request_sample();  // its memory is free now; see it before placing the next run
}

void Engine::tell_feed_our_sessions() {
  std::vector<int64_t> sessions;
  for (const auto& [session, run_id] : parts_.executor->run_of_session())
    sessions.push_back(session);
  parts_.gpus->set_flowline_sessions(std::move(sessions));
}

void Engine::observe_memory() {
  auto gpus = parts_.gpus->latest();
  if (gpus.get() == observed_sample_) return;
  observed_sample_ = gpus.get();
  memory_.observe(parts_.clock->now_ms(), *gpus, parts_.executor->run_of_session());
}

// The facts the scheduler's OOM policy needs, from the run's last samples and the GPUs now.
OomFacts Engine::oom_facts(const RunView& run, const RunMemory& memory) const {
  OomFacts facts;
  facts.peak_mib = memory.peak_mib;
  // Alone only if the last sample saw it holding memory with no one else there: a sample
  // taken before its neighbours started (and before it allocated) proves nothing.
  facts.alone = memory.sampled && memory.others.empty() && memory.last_mib > 0;
  facts.undersized = asked_too_little(run, memory.peak_mib);
  // Held for the loop: a range-for over `*latest()` keeps no reference to the sample, which the
  // sampler's thread frees when it takes the next one (found by ThreadSanitizer).
  const auto gpus = parts_.gpus->latest();
  for (const GpuInfo& g : *gpus) {
    const int64_t total = g.total_memory_mib.value_or(0);
    facts.largest_gpu_mib = std::max(facts.largest_gpu_mib, total);
    if (!run.gpus.empty() && g.index == run.gpus.front()) {
      facts.gpu = g.index;
      facts.gpu_total_mib = total;
    }
  }
  return facts;
}

// Whether the run, or a run of its --mem-group (live, or measured before), used more than the
// run asked for: its out-of-memory death is then explained by its own request.
bool Engine::asked_too_little(const RunView& run, std::optional<int64_t> own_peak) const {
  auto live = scheduler_.live_runs().find(run.run_id);
  if (live == scheduler_.live_runs().end() || !scheduler_.knows_task(run.task_id)) return false;
  const int64_t asked = live->second.min_mem_mib;
  const SharedText group = group_of(run.task_id);
  auto used_more = [&](int64_t run_id) {
    std::optional<int64_t> peak = memory_.peak_mib(run_id);
    return peak && *peak > asked;
  };
  if (own_peak && *own_peak > asked) return true;
  if (group->empty()) return false;
  if (auto measured = scheduler_.group_peak(*group); measured && *measured > asked) return true;
  for (const auto& [run_id, other] : scheduler_.live_runs())
    if (run_id != run.run_id && group_of(other.task_id) == group && used_more(run_id)) return true;
  return false;
}

RunUsage Engine::run_usage(const std::vector<GpuInfo>& gpus) const {
  const std::map<int64_t, int64_t> run_of_session = parts_.executor->run_of_session();
  RunUsage usage;
  for (const auto& g : gpus) {
    if (!g.processes) continue;
    for (const auto& p : *g.processes) {
      // Only FlowLine's runs are charged; the sampler read each process's session already.
      if (!p.flowline || !p.used_memory_mib || !p.session) continue;
      auto run = run_of_session.find(*p.session);
      if (run != run_of_session.end()) usage[{run->second, g.index}] += *p.used_memory_mib;
    }
  }
  return usage;
}

// Deciding walks every waiting task, so an idle engine with 100,000 of them decides again only
// when something placement reads has changed: a task, a run, the GPUs' memory or processes,
// a backoff ending. Commands (settings, `start`) always decide.
bool Engine::dispatch_may_launch() {
  auto gpus = parts_.gpus->latest();
  const Millis now = parts_.clock->now_ms();
  if (!space_pause_.empty()) return now >= space_recheck_ms_;
  if (!last_decision_.gpus || scheduler_.version() != last_decision_.version) return true;
  if (last_decision_.next_wakeup && now >= *last_decision_.next_wakeup) return true;
  return gpus != last_decision_.gpus && !same_memory_picture(*gpus, *last_decision_.gpus);
}

// Something a snapshot shows changed since the last: an event to tell, a task, a GPU sample.
bool Engine::state_changed_since_publish(Millis now) const {
  return publish_pending_ || !unsaid_.empty() || scheduler_.version() != task_views_.version ||
         now >= task_views_.valid_until || parts_.gpus->latest() != published_gpus_ ||
         (!live_.empty() && now >= last_publish_ms_ + kRefreshLiveMs);
}

void Engine::dispatch() {
  auto gpus = parts_.gpus->latest();
  Millis now = parts_.clock->now_ms();
  if (space_still_short(now)) return;
  last_decision_.gpus = gpus;
  bool failed_launch = false, more = false;
  int launched = 0;
  for (const LaunchDecision& d :
       scheduler_.decide(now, *gpus, run_usage(*gpus), config_.gpu_order)) {
    // The rest in the next pass, after the commands that came meanwhile (decided again then).
    if (launched++ == parts_.executor->launches_per_pass()) {
      more = true;
      break;
    }
    // A launch that failed left its slot free, and no event will come to say so: decide
    // again at once instead of sleeping (other tasks may take the slot).
    if (!launch(d)) {
      wakeup_.notify();
      failed_launch = true;
      if (!space_pause_.empty()) break;  // the rest would fail for the same reason
    }
  }
  // After a failed launch, decide again even though nothing else changed.
  if (failed_launch || more) last_decision_.gpus = nullptr;
  if (more) wakeup_.notify();
  last_decision_.version = scheduler_.version();
  last_decision_.next_wakeup = scheduler_.next_wakeup(parts_.clock->now_ms());
}

bool Engine::launch(const LaunchDecision& d) {
  const auto task_held = scheduler_.tasks()[d.task_id].task;  // kept alive across edits
  const Task& task = *task_held;
  Millis now = parts_.clock->now_ms();
  if (builds_) {
    // The slot and the GPU memory stay this launch's while the builder works.
    const int64_t placeholder = next_placeholder_--;
    scheduler_.on_launched(placeholder, d, now);
    building_[placeholder] = d;
    if (builds_->start(placeholder, task, d.gpus, d.run_number)) return true;
    building_.erase(placeholder);  // no thread to spare: build it here, as before
    scheduler_.forget_launch(placeholder);
  }
  Result<std::string> command = with_program(parts_.builder->build(task, d.gpus, d.run_number));
  if (!command.ok()) return build_failed(d, command.error(), now), false;
  return start_run(d, *command);
}

void Engine::build_failed(const LaunchDecision& d, const Error& error, Millis now) {
  scheduler_.on_launch_failed(d, "building the command failed: " + error.message, now);
  say("task " + std::to_string(d.task_id) + ": cannot build its command: " + error.message);
}

void Engine::finish_builds(bool dispatching) {
  if (!builds_) return;
  for (BuildJobs::Finished& built : builds_->take_finished()) {
    auto it = building_.find(built.ticket);
    if (it == building_.end()) continue;
    const LaunchDecision d = it->second;
    building_.erase(it);
    scheduler_.forget_launch(built.ticket);
    const TaskProgress& p = scheduler_.tasks()[d.task_id];
    const Millis now = parts_.clock->now_ms();
    built.command = with_program(std::move(built.command));
    if (!built.command.ok()) {
      build_failed(d, built.command.error(), now);
      continue;
    }
    // What changed while it was built wins: dispatch stopped, a GPU switched off, the task
    // dropped. The task is simply queued again.
    bool wanted =
        dispatching && scheduler_.settings().dispatching && !p.dropped && !p.failed && !p.removed;
    for (int gpu : d.gpus) wanted = wanted && !scheduler_.settings().disabled_gpus.count(gpu);
    if (!wanted) continue;
    // A launch that failed left its slot free: decide again at once.
    if (!start_run(d, *built.command)) wakeup_.notify();
  }
}

bool Engine::start_run(const LaunchDecision& d, const std::string& command) {
  const auto task_held = scheduler_.tasks()[d.task_id].task;  // kept alive across edits
  const Task& task = *task_held;
  Millis now = parts_.clock->now_ms();
  NewRun row;
  row.task_id = d.task_id;
  row.attempt = d.run_number;
  row.gpus = d.gpus;
  row.start_ms = now;
  Result<int64_t> run_id = parts_.store->insert_run(row);
  if (!run_id.ok()) {
    if (paused_for_space(now)) return false;
    scheduler_.on_launch_failed(d, run_id.error().message, now);
    say("cannot record a new run: " + run_id.error().message);
    return false;
  }
  std::string stem = log_stem(*run_id, task);
  LaunchSpec spec;
  spec.run_id = *run_id;
  spec.task_id = task.id;
  spec.command = command;
  spec.gpus = d.gpus;
  spec.gpu_count = static_cast<int>(d.gpu_count);
  spec.name = task.name;
  spec.cwd = config_.work_dir;
  spec.stdout_path = stem + ".out";
  spec.stderr_path = stem + ".err";
  spec.timeout_ms = task.timeout_ms;
  // The executor gives the run its environment (CUDA_VISIBLE_DEVICES, FLOWLINE_RUN_ID, …):
  // under Slurm, only the job knows its GPUs.
  Result<RunHandle> record = parts_.executor->launch(spec);
  if (!record.ok()) {
    (void)parts_.store->record_exit(*run_id, exit_of(*run_id), RunState::kFailed, "launch",
                                    record.error().message);
    if (paused_for_space(now)) return false;
    scheduler_.on_launch_failed(d, record.error().message, now);
    say("cannot start task " + std::to_string(task.id) + ": " + record.error().message);
    return false;
  }
  if (Status s =
          parts_.store->mark_running(*run_id, record->text, spec.stdout_path, spec.stderr_path);
      !s.ok())
    say("cannot record run " + std::to_string(*run_id) + " as running: " + s.error().message);
  scheduler_.on_launched(*run_id, d, now);
  RunView view{*run_id,  task.id,          task.name,
               d.gpus,   now,              parts_.executor->place(*run_id),
               command,  spec.stdout_path, spec.stderr_path,
               std::nullopt, {}};
  live_[*run_id] = Live{*record, std::move(view)};
  memory_.start(*run_id, d.gpus);
  tell_feed_our_sessions();
  EngineEvent started;
  started.kind = EventKind::kRunStarted;
  started.task_id = task.id;
  started.run_id = *run_id;
  started.task_name = task.name;
  started.text = "run " + std::to_string(*run_id) + " of task " + std::to_string(task.id) + " (" +
                 task.name + ") started on " +
                 (d.gpus.empty() ? "no GPU" : "GPU " + join_gpus(d.gpus));
  tell(std::move(started));
  return true;
}

void Engine::stop_all_runs() {
  for (const auto& [id, live] : live_) {
    if (killed_by_user_.count(id)) continue;
    (void)parts_.executor->stop(id);
    killed_by_user_.insert(id);
  }
}

void Engine::publish_when_due(Millis now, bool force) {
  if (!force && now < last_publish_ms_ + kPublishEveryMs) {
    publish_pending_ = true;
    return;
  }
  publish();
}

// Makes new task views only when a task changed or a backoff ended since the last ones: with
// 100,000 tasks the queue's estimates cost milliseconds, and most snapshots (a GPU sample, a
// setting) change no task. The views are the scheduler's records as they are now (shared, a
// pointer per chunk) and what they need to be read, made when a front end reads them.
void Engine::refresh_task_views(Millis now) {
  TaskViewCache& cache = task_views_;
  if (task_views_current(now)) return;
  const SchedulerSettings& settings = scheduler_.settings();
  cache.built = true;
  cache.version = scheduler_.version();
  cache.dispatching = settings.dispatching;
  cache.max_running = settings.max_running;
  cache.disabled_gpus = settings.disabled_gpus;
  auto context = std::make_shared<TaskViewContext>();
  context->now = now;
  context->settings = settings;
  context->group_peaks = scheduler_.group_peaks();
  for (const auto& [placeholder, d] : building_) context->building.insert(d.task_id);
  context->estimates = queue_estimates(now);
  count_tasks(now, *context);
  cache.views = TaskViews(scheduler_.tasks(), std::move(context));
  heap_to_release_ = heap_to_release_ || cache.views.size() >= kLargeViewList;
}

// The counts by state, when the views change next, and which records are in the table.
void Engine::count_tasks(Millis now, TaskViewContext& context) {
  TaskViewCache& cache = task_views_;
  cache.valid_until = std::numeric_limits<Millis>::max();
  cache.counts = Counts{};
  Counts& c = cache.counts;
  const TaskRecords& tasks = scheduler_.tasks();
  context.states.assign(tasks.size(), TaskState::kDropped);  // removed: never shown
  bool& all_shown = context.all_shown;
  for (size_t i = 0; i < tasks.size(); ++i) {
    const TaskProgress& p = tasks[i];
    if (p.removed) {  // not in the table; its live runs are still in `runs`
      if (all_shown) {
        for (size_t before = 0; before < i; ++before)
          context.shown.push_back(static_cast<uint32_t>(before));
      }
      all_shown = false;
      continue;
    }
    if (!all_shown) context.shown.push_back(static_cast<uint32_t>(i));
    const TaskState state = Scheduler::state_of(p, now);
    context.states[i] = state;
    if (state == TaskState::kBackoff) cache.valid_until = std::min(cache.valid_until, p.not_before);
    c.runs_done += std::min(p.task->run_num, p.task->need_run_num);
    c.runs_total += p.task->need_run_num;
    switch (state) {
      case TaskState::kDone:
        ++c.done;
        break;
      case TaskState::kRunning:
        ++c.running;
        break;
      case TaskState::kQueued:
      case TaskState::kBackoff:
        ++c.queued;
        break;
      case TaskState::kFailed:
      case TaskState::kInfeasible:
        ++c.failed;
        break;
      case TaskState::kDropped:
        ++c.other;
        break;
    }
  }
}

// At most every 10 s, and only after large rebuilds: a walk of the heap costs milliseconds.
void Engine::release_heap_when_due(Millis now) {
  if (!heap_to_release_ || now < heap_released_ms_ + kHeapReleaseEveryMs) return;
  heap_to_release_ = false;
  heap_released_ms_ = now;
  release_free_heap();
}

void Engine::publish() {
  auto snap = std::make_shared<EngineSnapshot>();
  Millis now = parts_.clock->now_ms();
  last_publish_ms_ = now;
  publish_pending_ = false;
  snap->taken_ms = now;
  snap->started_ms = started_ms_;
  snap->settings = scheduler_.settings();
  snap->order = config_.order_text;
  snap->log_dir = config_.log_dir;
  snap->typical_run_ms = durations_.expected(-1);  // no task has id -1: every task's median
  published_gpus_ = parts_.gpus->latest();
  snap->gpus = *published_gpus_;
  snap->simulated = parts_.gpus->simulated();
  snap->finished = scheduler_.finished();
  snap->events_told = events_told_;
  snap->table_unreadable = table_unreadable_;
  snap->table_unwritten = table_unwritten_;
  snap->dispatch_paused = space_pause_;
  refresh_task_views(now);
  snap->tasks = task_views_.views;
  snap->counts = task_views_.counts;
  snap->counts.runs_done_at_start = runs_done_at_start_;
  for (const auto& [id, live] : live_) {
    RunView view = live.view;
    view.place = parts_.executor->place(id);  // a Slurm job moves from pending to a node
    view.peak_mem_mib = memory_.peak_mib(id);
    view.mem_series = memory_.series(id);
    snap->runs.push_back(std::move(view));
  }
  {
    std::lock_guard lock(snapshot_mutex_);
    snapshot_ = std::move(snap);
  }
  std::vector<EngineEvent> events;
  events.swap(unsaid_);
  for (EngineEvent& event : events) event.seq = next_seq_++;
  std::lock_guard lock(listeners_mutex_);
  for (const EngineEvent& event : events)
    for (const auto& [id, listener] : listeners_) listener(event);
  if (ever_listened_) return;
  for (EngineEvent& event : events) {
    if (event.kind == EventKind::kGpuSample) continue;  // stale by the time anyone listens
    if (unheard_.size() < kMaxUnheard)
      unheard_.push_back(std::move(event));
    else
      ++unheard_lost_;
  }
}

}  // namespace flowline

#include "front/app/run_engine.hpp"

#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>

#include "front/app/gpu_trouble.hpp"
#include "front/app/serve_log.hpp"
#include "front/cli/commands.hpp"
#include "front/cli/progress_line.hpp"
#include "front/ctl/ctl_server.hpp"
#include "front/events/event_hooks.hpp"
#include "front/http/http_server.hpp"
#include "front/shell/shell.hpp"
#include "front/shell/style.hpp"
#include "front/shell/text_width.hpp"
#include "table/heap_tuning.hpp"

namespace flowline {
namespace {

// SIGUSR1 only ends the watcher.
sigset_t watched_signals(bool interactive) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGUSR1}) sigaddset(&set, s);
  if (!interactive) sigaddset(&set, SIGINT);
  return set;
}

// SIGUSR1 only wakes the watcher to end it.
class SignalWatcher {
 public:
  SignalWatcher(EngineApi& engine, bool interactive, StopMode mode = StopMode::kStopRuns)
      : engine_(engine), set_(watched_signals(interactive)), mode_(mode) {
    thread_ = std::thread([this] { watch(); });
  }
  ~SignalWatcher() {
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
  }

 private:
  void watch() {
    int sig = 0;
    while (sigwait(&set_, &sig) == 0 && sig != SIGUSR1) {
      std::fprintf(stderr, "\nflowline: %s received: %s\n", sig == SIGINT ? "SIGINT" : "SIGTERM",
                   mode_ == StopMode::kStopRuns
                       ? "stopping runs and exiting…"
                       : "exiting and leaving runs running (the next start re-adopts them)…");
      engine_.request_stop(mode_);
    }
  }
  EngineApi& engine_;
  sigset_t set_;
  StopMode mode_;
  std::thread thread_;
};

// Engine messages, one line each, with the progress line: on a terminal it is redrawn in place
// under them; in a log (stderr not a terminal) it is written with the first message and then
// at most every kLogProgressEvery, so that 2000 short runs give 2000 lines, not 4000. In a log
// it is also written when that long has passed without one, so that hours of one long run
// (no message at all) still show that FlowLine is alive and where it stands (README).
class ProgressReporter {
 public:
  explicit ProgressReporter(EngineApi& engine)
      : engine_(engine), tty_(isatty(2)), every_(log_progress_every()) {
    id_ = engine_.subscribe([this](const EngineEvent& event) {
      if (event.kind == EventKind::kGpuSample) note_gpu_trouble();
      if (event.for_terminal()) report(event.text);
    });
    if (!tty_) ticker_ = std::thread([this] { tick(); });
  }
  ~ProgressReporter() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (ticker_.joinable()) ticker_.join();
    engine_.unsubscribe(id_);
    if (tty_) std::fputc('\n', stderr);
  }

  // Messages before this (re-adopted runs) come without a progress line: the snapshot is
  // only published once recovery is over.
  void start_progress() {
    std::lock_guard lock(mutex_);
    progress_started_ = true;
  }

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kLogProgressEvery{10000};

  // FLOWLINE_PROGRESS_EVERY_MS shortens the interval for tests (README, "Testing knobs").
  static std::chrono::milliseconds log_progress_every() {
    const char* env = std::getenv("FLOWLINE_PROGRESS_EVERY_MS");
    long ms = env ? std::strtol(env, nullptr, 10) : 0;
    return ms > 0 ? std::chrono::milliseconds(ms) : kLogProgressEvery;
  }

  void report(const std::string& raw) {
    // Messages carry task names and errors from the table: never raw to a terminal.
    const std::string message = shell::one_line(raw);
    auto snap = engine_.snapshot();
    std::lock_guard lock(mutex_);
    if (!progress_started_) {
      std::fprintf(stderr, "%s\n", message.c_str());
      return;
    }
    if (tty_) {
      std::fprintf(stderr, "\r\033[K%s\n%s", message.c_str(), cli::progress_line(*snap).c_str());
      return;
    }
    std::fprintf(stderr, "%s\n", message.c_str());
    const auto now = Clock::now();
    if (last_progress_ && now - *last_progress_ < every_) return;
    write_progress(*snap, now);
  }

  // A GPU that stops answering, or answers again, is said once (on the engine's thread, the
  // only one that calls this).
  void note_gpu_trouble() {
    for (const std::string& line : gpu_trouble_.update(engine_.snapshot()->gpus)) report(line);
  }

  void write_progress(const EngineSnapshot& snap, Clock::time_point now) {
    last_progress_ = now;
    std::fprintf(stderr, "  [%s]\n", cli::progress_line(snap).c_str());
  }

  // In a log: a progress line once `every_` has passed without one.
  void tick() {
    std::unique_lock lock(mutex_);
    auto due = Clock::now() + every_;
    while (!wake_.wait_until(lock, due, [this] { return stopping_; })) {
      auto now = Clock::now();
      if (progress_started_ && (!last_progress_ || now - *last_progress_ >= every_)) {
        lock.unlock();
        auto snap = engine_.snapshot();  // not under our lock: the engine may be telling us
        lock.lock();
        if (stopping_) return;
        now = Clock::now();
        write_progress(*snap, now);
      }
      due = (last_progress_ ? *last_progress_ : now) + every_;
      if (due <= now) due = now + every_;
    }
  }

  EngineApi& engine_;
  bool tty_;
  const std::chrono::milliseconds every_;
  int id_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool progress_started_ = false;
  std::optional<Clock::time_point> last_progress_;
  GpuTrouble gpu_trouble_;
  std::thread ticker_;  // last: started once everything above is set
};

void print_summary(const EngineSnapshot& snap) {
  const Counts& c = snap.counts;
  std::fprintf(stderr,
               "flowline: %zu tasks: %lld done, %lld failed or cannot run, %lld dropped, "
               "%lld not finished\n",
               snap.tasks.size(), (long long)c.done, (long long)c.failed, (long long)c.other,
               (long long)(c.queued + c.running));
  for (const auto& t : snap.tasks) {
    if (t.state != TaskState::kFailed && t.state != TaskState::kInfeasible) continue;
    const std::string& why = t.state == TaskState::kFailed ? t.last_error.get() : t.waiting_for();
    std::fprintf(stderr, "  task %lld (%s) %s: %s\n", (long long)t.task->id,
                 shell::one_line(t.task->name).c_str(),
                 std::string(task_state_name(t.state)).c_str(), shell::one_line(why).c_str());
  }
  if (!snap.table_unreadable.empty())
    std::fprintf(stderr,
                 "flowline: the table's newest version could not be read, so the one "
                 "before it was used:\n%s\n",
                 shell::visible_lines(snap.table_unreadable).c_str());
  if (!snap.table_unwritten.empty())
    std::fprintf(stderr, "flowline: %s\n", snap.table_unwritten.c_str());
}

}  // namespace

SignalScope::SignalScope(bool interactive) {
  sigset_t set = watched_signals(interactive);
  pthread_sigmask(SIG_BLOCK, &set, &old_mask_);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGHUP, &ignore, &old_hup_);  // an SSH session dropping must not end the work
  sigaction(SIGPIPE, &ignore, &old_pipe_);
}

SignalScope::~SignalScope() {
  sigaction(SIGHUP, &old_hup_, nullptr);
  sigaction(SIGPIPE, &old_pipe_, nullptr);
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

namespace {

int run_batch(Engine& engine, const char* who, const std::function<void()>& recovered) {
  SignalWatcher signals(engine, false);
  ProgressReporter progress(engine);
  if (Status s = engine.recover(); !s.ok()) {
    std::fprintf(stderr, "%s: %s\n", who, s.error().message.c_str());
    return cli::kExitBadInput;
  }
  recovered();
  progress.start_progress();
  return engine.run();
}

// The engine loops on its own thread while the shell owns the terminal; engine messages reach
// the shell through its subscription, so nothing else writes there.
int run_interactive(Engine& engine, const std::string& state_dir, const char* who,
                    const std::function<void()>& recovered) {
  SignalWatcher signals(engine, true);
  if (Status s = engine.recover(); !s.ok()) {
    std::fprintf(stderr, "%s: %s\n", who, s.error().message.c_str());
    return cli::kExitBadInput;
  }
  recovered();
  int engine_done = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  shell::ShellOptions options;
  options.state_dir = state_dir;
  options.colour = shell::colour_wanted(STDOUT_FILENO);
  options.stop_fd = engine_done;
  int code = cli::kExitOk;
  std::thread loop([&] {
    code = engine.run();
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(engine_done, &one, sizeof one);
  });
  // With --start, the first dispatch happens before the first prompt (a command answers only
  // once its effect is published), so that an `ls` typed at once shows the runs that started.
  if (engine.snapshot()->settings.dispatching) (void)engine.start_dispatching();
  shell::run_shell(engine, options);
  loop.join();
  close(engine_done);
  return code;
}

// `flowline serve`: no shell, no end when the table is done; a signal ends it and, unless
// --stop-runs-on-exit, leaves the runs for the next start to re-adopt.
int run_serve(Engine& engine, const cli::RunOptions& options, const char* who,
              const std::function<void()>& recovered) {
  SignalWatcher signals(engine, false,
                        options.stop_runs_on_exit ? StopMode::kStopRuns : StopMode::kLeaveRuns);
  if (Status s = engine.recover(); !s.ok()) {
    std::fprintf(stderr, "%s: %s\n", who, s.error().message.c_str());
    return cli::kExitBadInput;
  }
  recovered();
  const int code = engine.run();
  return code == 130 ? cli::kExitOk : code;  // stopping is how a service ends
}

// `--web`, or `serve` (which always serves: 127.0.0.1:5000 by default, the original's port,
// or any free port when another program has it). Null when not wanted or not possible.
std::unique_ptr<http::HttpServer> start_web(EngineStack& stack, const cli::RunOptions& options,
                                            const std::function<void(const std::string&)>& say) {
  if (!options.web && !options.serve) return nullptr;
  http::HttpOptions address;
  address.port = 5000;
  if (options.web) address = *http::parse_web_address(*options.web);  // checked when parsed
  http::HttpParts parts{*stack.engine, stack.sampler.get(), stack.state_dir, stack.home.log_dir,
                        stack.home.table};
  auto server = std::make_unique<http::HttpServer>(parts, address);
  Status started = server->start();
  if (!started.ok() && !options.web) {
    address.port = 0;
    server = std::make_unique<http::HttpServer>(parts, address);
    say("port 5000 is in use; serving on a free port instead (choose one with --web PORT)");
    started = server->start();
  }
  if (!started.ok()) {
    say("the HTTP API is not served: " + started.error().message);
    return nullptr;
  }
  if (address.host != "127.0.0.1" && address.host != "localhost" && address.host != "::1")
    say("warning: serving on " + address.host + ", reachable from other machines: anyone with "
        "the token can run commands as you. Prefer the default (127.0.0.1) and an SSH tunnel: "
        "ssh -L " + std::to_string(server->port()) + ":127.0.0.1:" +
        std::to_string(server->port()) + " THIS_HOST");
  say("web UI and HTTP API: " + server->url());
  return server;
}

// `--on-event`: subscribed before recovery, so that runs recovery finds lost are told too.
// Hook failures are warnings: in the service's log as such. Null when not asked for.
std::unique_ptr<events::EventHooks> start_hooks(EngineStack& stack, const cli::RunOptions& options,
                                                ServeLog* log) {
  if (!options.on_event) return nullptr;
  events::HookOptions hooks;
  hooks.program = *options.on_event;
  if (options.on_event_kinds) hooks.kinds = *options.on_event_kinds;
  if (options.on_event_timeout_ms)
    hooks.time_limit = std::chrono::milliseconds(*options.on_event_timeout_ms);
  hooks.table = stack.home.table;
  return std::make_unique<events::EventHooks>(
      *stack.engine, std::move(hooks), [log](const std::string& line) {
        if (log) log->write("WARNING", line);
        else std::fprintf(stderr, "flowline: %s\n", line.c_str());
      });
}

}  // namespace

int run_engine(EngineStack& stack, const cli::RunOptions& options, const char* who) {
  std::unique_ptr<ServeLog> log;
  if (options.serve) log = std::make_unique<ServeLog>(*stack.engine, stack.state_dir);
  auto say = [&](const std::string& line) {
    if (log) log->write("INFO", line);
    else std::fprintf(stderr, "flowline: %s\n", line.c_str());
  };
  for (const auto& note : stack.notes) say(note);
  Engine& engine = *stack.engine;
  // `flowline ctl` reaches every running instance, batch or interactive.
  ctl::CtlServer ctl_server(engine, stack.state_dir);
  if (Status s = ctl_server.start(); !s.ok())
    say("`flowline ctl` unavailable: " + s.error().message);
  std::unique_ptr<events::EventHooks> hooks = start_hooks(stack, options, log.get());
  // Served once recovery has applied the saved settings and re-adopted runs, so that the
  // first answer is already true.
  std::unique_ptr<http::HttpServer> web;
  auto recovered = [&] {
    release_free_heap();  // what loading the table freed
    web = start_web(stack, options, say);
  };
  int code = options.serve         ? run_serve(engine, options, who, recovered)
             : options.interactive ? run_interactive(engine, stack.state_dir, who, recovered)
                                   : run_batch(engine, who, recovered);
  hooks.reset();  // the last events (all_done) are told before the summary, a few seconds at most
  if (web) web->stop();
  ctl_server.stop();
  if (!options.interactive) print_summary(*engine.snapshot());
  return code;
}

}  // namespace flowline

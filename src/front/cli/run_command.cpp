// `flowline run TABLE`: the main job. On a terminal it opens the interactive shell; otherwise
// (or with --batch) it dispatches at once, reports progress on stderr and exits when done.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <thread>

#include "front/app/engine_stack.hpp"
#include "front/cli/commands.hpp"
#include "front/cli/progress_line.hpp"
#include "front/cli/run_options.hpp"

namespace flowline::cli {
namespace {

// Signals are taken by one thread with sigwait, so the engine only ever sees request_stop.
class SignalWatcher {
 public:
  explicit SignalWatcher(EngineApi& engine) : engine_(engine) {
    sigemptyset(&set_);
    for (int s : {SIGINT, SIGTERM, SIGUSR1}) sigaddset(&set_, s);
    thread_ = std::thread([this] { watch(); });
  }
  ~SignalWatcher() {
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
  }
  // Call before any thread starts so that every thread inherits the mask.
  static void block() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGUSR1}) sigaddset(&set, s);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal(SIGHUP, SIG_IGN);  // an SSH session dropping must not end the work
    signal(SIGPIPE, SIG_IGN);
  }

 private:
  void watch() {
    int sig = 0;
    while (sigwait(&set_, &sig) == 0 && sig != SIGUSR1) {
      std::fprintf(stderr, "\nflowline: %s received: stopping runs and exiting…\n",
                   sig == SIGINT ? "SIGINT" : "SIGTERM");
      engine_.request_stop(StopMode::kStopRuns);
    }
  }
  EngineApi& engine_;
  sigset_t set_;
  std::thread thread_;
};

// Engine messages, each followed by the progress line; on a terminal the progress line is
// redrawn in place.
class ProgressReporter {
 public:
  explicit ProgressReporter(EngineApi& engine) : engine_(engine), tty_(isatty(2)) {
    id_ = engine_.subscribe([this](const std::string& m) { report(m); });
  }
  ~ProgressReporter() {
    engine_.unsubscribe(id_);
    if (tty_) std::fputc('\n', stderr);
  }

 private:
  void report(const std::string& message) {
    auto snap = engine_.snapshot();
    std::lock_guard lock(mutex_);
    if (tty_) std::fprintf(stderr, "\r\033[K%s\n%s", message.c_str(), progress_line(*snap).c_str());
    else std::fprintf(stderr, "%s\n  [%s]\n", message.c_str(), progress_line(*snap).c_str());
  }
  EngineApi& engine_;
  bool tty_;
  int id_ = 0;
  std::mutex mutex_;
};

void print_summary(const EngineSnapshot& snap) {
  const Counts& c = snap.counts;
  std::fprintf(stderr, "flowline: %zu tasks: %lld done, %lld failed or cannot run, %lld dropped, "
               "%lld not finished\n", snap.tasks.size(), (long long)c.done, (long long)c.failed,
               (long long)c.other, (long long)(c.queued + c.running));
  for (const auto& t : snap.tasks) {
    if (t.state != TaskState::kFailed && t.state != TaskState::kInfeasible) continue;
    const std::string& why = t.state == TaskState::kFailed ? t.last_error : t.waiting_for;
    std::fprintf(stderr, "  task %lld (%s) %s: %s\n", (long long)t.task.id, t.task.name.c_str(),
                 std::string(task_state_name(t.state)).c_str(), why.c_str());
  }
}

}  // namespace

int run_main(const Args& args) {
  Result<RunOptions> parsed = parse_run_options(args, "run");
  if (!parsed.ok()) {
    std::fprintf(stderr, "flowline run: %s\n", parsed.error().message.c_str());
    return kExitBadInput;
  }
  RunOptions options = *parsed;
  if (options.help) {
    std::fputs(run_options_help("run").c_str(), stdout);
    return kExitOk;
  }
  SignalWatcher::block();
  Result<std::unique_ptr<EngineStack>> stack = build_engine_stack(options);
  if (!stack.ok()) {
    std::fprintf(stderr, "flowline run: %s\n", stack.error().message.c_str());
    return kExitBadInput;
  }
  for (const auto& note : (*stack)->notes) std::fprintf(stderr, "flowline: %s\n", note.c_str());
  Engine& engine = *(*stack)->engine;
  int code;
  {
    SignalWatcher signals(engine);
    ProgressReporter progress(engine);
    if (Status s = engine.recover(); !s.ok()) {
      std::fprintf(stderr, "flowline run: %s\n", s.error().message.c_str());
      return kExitBadInput;
    }
    code = engine.run();
  }
  print_summary(*engine.snapshot());
  return code;
}

}  // namespace flowline::cli

// `flowline run TABLE`: the main job. On a terminal it opens the interactive shell; otherwise
// (or with --batch) it dispatches at once, reports progress on stderr and exits when done.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <thread>

#include <sys/eventfd.h>

#include "front/app/engine_stack.hpp"
#include "front/ctl/ctl_server.hpp"
#include "front/shell/shell.hpp"
#include "front/shell/style.hpp"
#include "front/cli/commands.hpp"
#include "front/cli/progress_line.hpp"
#include "front/cli/run_options.hpp"

namespace flowline::cli {
namespace {

// Signals are taken by one thread with sigwait, so the engine only ever sees request_stop.
// Signals are taken by one thread with sigwait, so the engine only ever sees request_stop.
// Interactive runs leave SIGINT to the shell (Ctrl-C at the prompt never kills runs).
class SignalWatcher {
 public:
  explicit SignalWatcher(EngineApi& engine, bool interactive) : engine_(engine) {
    set_ = watched(interactive);
    thread_ = std::thread([this] { watch(); });
  }
  ~SignalWatcher() {
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
  }
  // Call before any thread starts so that every thread inherits the mask.
  static void block(bool interactive) {
    sigset_t set = watched(interactive);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal(SIGHUP, SIG_IGN);  // an SSH session dropping must not end the work
    signal(SIGPIPE, SIG_IGN);
  }

 private:
  static sigset_t watched(bool interactive) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR1);  // ends the watcher
    if (!interactive) sigaddset(&set, SIGINT);
    return set;
  }
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

// Batch: dispatch at once, progress on stderr, exit when every task is done or failed.
int run_batch(Engine& engine) {
  SignalWatcher signals(engine, false);
  ProgressReporter progress(engine);
  if (Status s = engine.recover(); !s.ok()) {
    std::fprintf(stderr, "flowline run: %s\n", s.error().message.c_str());
    return kExitBadInput;
  }
  return engine.run();
}

// Interactive: the engine loops on its own thread while the shell owns the terminal; the
// shell's messages come through the engine's subscribers, so nothing else writes there.
int run_interactive(Engine& engine, const std::string& state_dir) {
  SignalWatcher signals(engine, true);
  int engine_done = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  shell::ShellOptions options;
  options.state_dir = state_dir;
  options.colour = shell::colour_wanted(STDOUT_FILENO);
  options.stop_fd = engine_done;
  if (Status s = engine.recover(); !s.ok()) {
    std::fprintf(stderr, "flowline run: %s\n", s.error().message.c_str());
    return kExitBadInput;
  }
  int code = kExitOk;
  std::thread loop([&] {
    code = engine.run();
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(engine_done, &one, sizeof one);
  });
  shell::run_shell(engine, options);
  loop.join();
  close(engine_done);
  return code;
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
  bool interactive = !options.batch && isatty(STDIN_FILENO);
  // The original starts its prompt with dispatch stopped; `run` (or --start) starts it.
  options.settings.dispatching = !interactive || options.start;
  SignalWatcher::block(interactive);
  Result<std::unique_ptr<EngineStack>> stack = build_engine_stack(options, interactive);
  if (!stack.ok()) {
    std::fprintf(stderr, "flowline run: %s\n", stack.error().message.c_str());
    return kExitBadInput;
  }
  for (const auto& note : (*stack)->notes) std::fprintf(stderr, "flowline: %s\n", note.c_str());
  Engine& engine = *(*stack)->engine;
  ctl::CtlServer ctl_server(engine, (*stack)->state_dir);
  if (Status s = ctl_server.start(); !s.ok())
    std::fprintf(stderr, "flowline: `flowline ctl` unavailable: %s\n", s.error().message.c_str());
  int code = interactive ? run_interactive(engine, (*stack)->state_dir) : run_batch(engine);
  ctl_server.stop();
  if (!interactive) print_summary(*engine.snapshot());
  return code;
}

}  // namespace flowline::cli

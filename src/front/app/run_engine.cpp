#include "front/app/run_engine.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <thread>

#include "front/cli/commands.hpp"
#include "front/cli/progress_line.hpp"

namespace flowline {
namespace {

sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGINT, SIGTERM, SIGUSR1}) sigaddset(&set, s);
  return set;
}

// SIGUSR1 only wakes the watcher to end it.
class SignalWatcher {
 public:
  explicit SignalWatcher(EngineApi& engine) : engine_(engine), set_(watched_signals()) {
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
    if (tty_)
      std::fprintf(stderr, "\r\033[K%s\n%s", message.c_str(), cli::progress_line(*snap).c_str());
    else
      std::fprintf(stderr, "%s\n  [%s]\n", message.c_str(), cli::progress_line(*snap).c_str());
  }
  EngineApi& engine_;
  bool tty_;
  int id_ = 0;
  std::mutex mutex_;
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
    const std::string& why = t.state == TaskState::kFailed ? t.last_error : t.waiting_for;
    std::fprintf(stderr, "  task %lld (%s) %s: %s\n", (long long)t.task.id, t.task.name.c_str(),
                 std::string(task_state_name(t.state)).c_str(), why.c_str());
  }
}

}  // namespace

SignalScope::SignalScope() {
  sigset_t set = watched_signals();
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

int run_engine(EngineStack& stack, const cli::RunOptions& options, const char* who) {
  (void)options;  // the shell will read batch/start from here
  for (const auto& note : stack.notes) std::fprintf(stderr, "flowline: %s\n", note.c_str());
  Engine& engine = *stack.engine;
  int code;
  {
    SignalWatcher signals(engine);
    ProgressReporter progress(engine);
    if (Status s = engine.recover(); !s.ok()) {
      std::fprintf(stderr, "%s: %s\n", who, s.error().message.c_str());
      return cli::kExitBadInput;
    }
    code = engine.run();
  }
  print_summary(*engine.snapshot());
  return code;
}

}  // namespace flowline

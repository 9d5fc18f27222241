#include "front/shell/shell.hpp"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
// readline.h needs stdio.h first.
#include <readline/history.h>
#include <readline/readline.h>

#include "front/shell/command_interpreter.hpp"
#include "front/shell/completion.hpp"
#include "front/shell/log_tail.hpp"
#include "front/shell/message_inbox.hpp"
#include "front/shell/shell_history.hpp"
#include "front/shell/signal_relay.hpp"
#include "front/shell/terminal_width.hpp"
#include "front/shell/text_width.hpp"

namespace flowline::shell {
namespace {

// Files have no readiness event worth the complexity of inotify here; a person following a
// log cannot tell 200 ms from instant.
constexpr int kFollowPollMs = 200;
constexpr const char* kExitPrompt = "[s/l/c] ";

void print(const std::string& text) {
  std::fputs(text.c_str(), stdout);
  std::fflush(stdout);
}

class InteractiveShell {
 public:
  InteractiveShell(EngineApi& engine, const ShellOptions& options)
      : engine_(engine),
        options_(options),
        interpreter_(engine, Surface::kShell),
        history_(options.state_dir, options.history_size) {}

  int run();

 private:
  enum class Mode { kCommand, kExitQuestion };

  static void on_line(char* raw);
  static char** complete(const char* text, int start, int end);
  static char* next_candidate(const char* text, int state);

  void install_readline();
  void greet();
  void loop();
  bool poll_once();
  void handle_line(std::optional<std::string> line);
  void handle_command(const std::string& line);
  void begin_exit();
  void answer_exit(std::optional<std::string> answer);
  void back_to_commands(const std::string& note);
  void finish();
  void on_signal(int signo);
  void show_messages();
  void follow_logs(const RunView& run);
  bool stop_requested_elsewhere() const;
  Presentation presentation() const { return {terminal_width(STDOUT_FILENO), options_.colour}; }

  static InteractiveShell* current_;  // readline's callbacks are plain functions
  static std::vector<std::string> candidates_;

  EngineApi& engine_;
  ShellOptions options_;
  CommandInterpreter interpreter_;
  ShellHistory history_;
  MessageInbox inbox_;
  SignalRelay signals_;
  Mode mode_ = Mode::kCommand;
  bool done_ = false;
};

InteractiveShell* InteractiveShell::current_ = nullptr;
std::vector<std::string> InteractiveShell::candidates_;

int InteractiveShell::run() {
  current_ = this;
  history_.load();
  int listener = engine_.subscribe([this](const EngineEvent& event) {
    if (event.for_terminal()) inbox_.push(event.text);
  });
  greet();
  install_readline();
  loop();
  if (!done_) rl_callback_handler_remove();
  engine_.unsubscribe(listener);
  history_.trim();
  current_ = nullptr;
  return 0;
}

void InteractiveShell::install_readline() {
  rl_readline_name = "flowline";  // for `$if flowline` in ~/.inputrc
  rl_catch_signals = 0;           // SignalRelay owns SIGINT and SIGWINCH
  rl_catch_sigwinch = 0;
  rl_instream = stdin;
  rl_outstream = stdout;
  rl_attempted_completion_function = complete;
  rl_callback_handler_install(options_.prompt.c_str(), on_line);
}

void InteractiveShell::greet() {
  auto snap = engine_.snapshot();
  std::string text = "FlowLine shell: `help` lists commands, Tab completes, Ctrl-D exits.\n";
  if (snap->simulated) text += "GPUs are simulated.\n";
  if (!snap->settings.dispatching) text += "dispatch is stopped: type `run` to start\n";
  print(text);
}

void InteractiveShell::loop() {
  while (!done_ && poll_once()) {
  }
}

// One round of waiting; false when the shell must end now.
bool InteractiveShell::poll_once() {
  pollfd fds[4] = {{STDIN_FILENO, POLLIN, 0},
                   {inbox_.fd(), POLLIN, 0},
                   {signals_.fd(), POLLIN, 0},
                   {options_.stop_fd, POLLIN, 0}};
  int count = options_.stop_fd >= 0 ? 4 : 3;
  if (::poll(fds, count, -1) < 0) return errno == EINTR;
  if (fds[2].revents != 0)
    while (int signo = signals_.next_signal()) on_signal(signo);
  if (fds[1].revents != 0) show_messages();
  if (count == 4 && fds[3].revents != 0) {
    print("\nFlowLine is stopping.\n");
    return false;
  }
  if (fds[0].revents & POLLIN) {
    rl_callback_read_char();
  } else if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
    engine_.request_stop(StopMode::kLeaveRuns);  // the terminal is gone, not the user's will
    return false;
  }
  return true;
}

void InteractiveShell::on_line(char* raw) {
  std::unique_ptr<char, decltype(&std::free)> owned(raw, &std::free);
  current_->handle_line(raw ? std::optional<std::string>(raw) : std::nullopt);
}

void InteractiveShell::handle_line(std::optional<std::string> line) {
  if (mode_ == Mode::kExitQuestion) return answer_exit(std::move(line));
  if (!line) {  // Ctrl-D
    print("exit\n");
    return begin_exit();
  }
  handle_command(*line);
}

void InteractiveShell::handle_command(const std::string& line) {
  history_.add(line);
  CommandOutcome out = interpreter_.execute_line(line, presentation());
  print(out.text);
  switch (out.follow_up) {
    case FollowUp::kNone:
      break;
    case FollowUp::kAskExit:
      begin_exit();
      break;
    case FollowUp::kStopped:
      finish();
      break;
    case FollowUp::kFollowLogs:
      follow_logs(*out.run);
      break;
  }
}

static std::string exit_question(size_t runs) {
  if (runs == 1)
    return "1 run is still running.\nStop it (s), leave it running for a later `flowline run` "
           "to re-adopt (l), or cancel (c)?\n";
  return std::to_string(runs) +
         " runs are still running.\nStop them (s), leave them running "
         "for a later `flowline run` to re-adopt (l), or cancel (c)?\n";
}

void InteractiveShell::begin_exit() {
  size_t runs = engine_.snapshot()->runs.size();
  if (runs == 0) {
    engine_.request_stop(StopMode::kStopRuns);
    return finish();
  }
  print(wrap_lines(exit_question(runs), presentation().width));
  mode_ = Mode::kExitQuestion;
  rl_set_prompt(kExitPrompt);
}

void InteractiveShell::answer_exit(std::optional<std::string> answer) {
  std::vector<std::string> words = answer ? split_words(*answer) : std::vector<std::string>{};
  std::string word = words.size() == 1 ? words[0] : (answer ? "?" : "c");
  if (word == "s" || word == "stop") {
    engine_.request_stop(StopMode::kStopRuns);
    print("stopping the runs; bye\n");
    return finish();
  }
  if (word == "l" || word == "leave") {
    engine_.request_stop(StopMode::kLeaveRuns);
    print("leaving the runs running; `flowline run` with state dir " + options_.state_dir +
          " re-adopts them\n");
    return finish();
  }
  if (word == "c" || word == "cancel") return back_to_commands("cancelled\n");
  print("please answer s (stop them), l (leave them running) or c (cancel)\n");
}

void InteractiveShell::back_to_commands(const std::string& note) {
  print(note);
  mode_ = Mode::kCommand;
  rl_set_prompt(options_.prompt.c_str());
}

void InteractiveShell::finish() {
  done_ = true;
  rl_callback_handler_remove();  // readline then neither redraws nor keeps the tty raw
}

void InteractiveShell::on_signal(int signo) {
  if (signo == SIGWINCH) return rl_resize_terminal();
  if (signo != SIGINT || done_) return;
  // Ctrl-C abandons the line being typed (or the exit question); it never touches runs.
  rl_callback_sigcleanup();
  rl_replace_line("", 0);
  rl_point = rl_end = 0;
  print("^C\n");
  if (mode_ == Mode::kExitQuestion) back_to_commands("cancelled\n");
  rl_on_new_line();
  rl_redisplay();
}

// Messages go above the prompt: the half-typed line is saved, cleared, and put back with the
// cursor where it was, so typing simply continues.
void InteractiveShell::show_messages() {
  std::vector<std::string> messages = inbox_.take_all();
  if (messages.empty() || done_) return;
  char* saved = rl_copy_text(0, rl_end);
  int point = rl_point;
  rl_save_prompt();
  rl_replace_line("", 0);
  rl_redisplay();
  std::string text = "\r\033[K";
  for (const auto& m : messages) text += one_line(m) + "\n";
  print(text);
  rl_restore_prompt();
  rl_replace_line(saved, 0);
  rl_point = point;
  std::free(saved);
  rl_forced_update_display();
}

bool InteractiveShell::stop_requested_elsewhere() const {
  if (options_.stop_fd < 0) return false;
  pollfd fd{options_.stop_fd, POLLIN, 0};
  return ::poll(&fd, 1, 0) > 0;
}

static bool run_alive(EngineApi& engine, int64_t run_id) {
  auto snap = engine.snapshot();  // kept alive: a range-for over a temporary's member dangles
  for (const auto& r : snap->runs)
    if (r.run_id == run_id) return true;
  return false;
}

// Runs inside readline's line handler, where the terminal is back in normal mode, so Ctrl-C
// arrives as SIGINT through the relay and ends the following.
void InteractiveShell::follow_logs(const RunView& run) {
  print("following run " + std::to_string(run.run_id) + " (Ctrl-C to stop)\n");
  FileFollower out(run.out_path, FileFollower::size_of(run.out_path));
  FileFollower err(run.err_path, FileFollower::size_of(run.err_path));
  bool same = run.out_path == run.err_path;
  for (;;) {
    pollfd fds[2] = {{signals_.fd(), POLLIN, 0}, {inbox_.fd(), POLLIN, 0}};
    (void)::poll(fds, 2, kFollowPollMs);
    if (fds[0].revents != 0 && signals_.next_signal() == SIGINT) {
      print("\n");  // the terminal echoed ^C; the prompt starts on a line of its own
      break;
    }
    for (const auto& m : inbox_.take_all()) print(one_line(m) + "\n");
    print(out.read_new() + (same ? "" : err.read_new()));
    if (stop_requested_elsewhere()) break;
    if (!run_alive(engine_, run.run_id)) {
      print(out.read_new() + (same ? "" : err.read_new()));
      print("run " + std::to_string(run.run_id) + " has ended\n");
      break;
    }
  }
}

char** InteractiveShell::complete(const char* text, int start, int /*end*/) {
  rl_attempted_completion_over = 1;  // never fall back to file names
  std::string before(rl_line_buffer, static_cast<size_t>(start));
  candidates_ = completion_candidates(before, *current_->engine_.snapshot());
  return rl_completion_matches(text, next_candidate);
}

char* InteractiveShell::next_candidate(const char* text, int state) {
  static size_t index = 0;
  if (state == 0) index = 0;
  std::string prefix = text;
  while (index < candidates_.size()) {
    const std::string& c = candidates_[index++];
    if (c.compare(0, prefix.size(), prefix) == 0) return strdup(c.c_str());
  }
  return nullptr;
}

}  // namespace

int run_shell(EngineApi& engine, const ShellOptions& options) {
  InteractiveShell shell(engine, options);
  return shell.run();
}

}  // namespace flowline::shell

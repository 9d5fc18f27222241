#pragma once
// A program running in a real terminal: a private tmux server (its own socket in a temp dir)
// with one pane, keys sent as a user would type them, and the screen read back. Waits are
// bounded polls of the screen, never fixed sleeps.
#include <chrono>
#include <string>
#include <vector>

namespace flowline::testing {

class TmuxSession {
 public:
  // Starts `command` (run by /bin/sh) in a width × height terminal. The pane stays after the
  // program exits, so its last screen can still be read.
  TmuxSession(const std::string& work_dir, const std::string& command, int width = 120,
              int height = 40);
  ~TmuxSession();
  TmuxSession(const TmuxSession&) = delete;
  TmuxSession& operator=(const TmuxSession&) = delete;

  bool started() const { return started_; }
  void type(const std::string& text);        // literal text, no Enter
  void press(const std::string& key);        // tmux key names: Enter, Tab, C-c, C-d, Up, Left
  void enter_line(const std::string& text);  // type + Enter
  // The whole pane including scrollback, as plain text (no colour codes).
  std::string screen() const;
  std::string screen_with_colour() const;  // with the escape sequences that set colours
  // The last non-blank line on screen (where the prompt and the typed text are).
  std::string last_line() const;
  bool program_exited() const;

  // Bounded waits, polling the screen. They return false on timeout; `screen()` then shows why.
  bool wait_for(const std::string& text, std::chrono::milliseconds limit = kDefaultWait);
  // Waits until `text` appears more often than `before_count` times (for repeated output).
  bool wait_for_more(const std::string& text, size_t before_count,
                     std::chrono::milliseconds limit = kDefaultWait);
  bool wait_for_last_line(const std::string& line, std::chrono::milliseconds limit = kDefaultWait);
  bool wait_for_exit(std::chrono::milliseconds limit = kDefaultWait);
  size_t count(const std::string& text) const;

  static constexpr std::chrono::milliseconds kDefaultWait{10000};

 private:
  std::string tmux(std::vector<std::string> args) const;

  std::string socket_;
  bool started_ = false;
};

std::string find_program(const std::string& name);  // on $PATH; "" when absent

}  // namespace flowline::testing

#include "e2e/support/tmux_session.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "integration/support/process.hpp"

namespace flowline::testing {

static constexpr std::chrono::milliseconds kPollInterval{20};

// A socket of its own for every session: a test that replaces its terminal would otherwise
// reach the previous server while it is still shutting down (kill-server returns before the
// server is gone) and get a pane that vanishes with it.
static std::string fresh_socket_path(const std::string& work_dir) {
  static std::atomic<int> sessions{0};
  return work_dir + "/tmux-" + std::to_string(sessions++) + ".sock";
}

std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

TmuxSession::TmuxSession(const std::string& work_dir, const std::string& command, int width,
                         int height)
    : socket_(fresh_socket_path(work_dir)) {
  // Scrollback for long transcripts; the pane outlives the program for the final screen.
  std::string conf = work_dir + "/tmux.conf";
  write_file(conf, "set -g history-limit 10000\nset -g remain-on-exit on\nset -g status off\n");
  Outcome o = run_program({{find_program("tmux"), "-S", socket_, "-f", conf, "new-session", "-d",
                            "-x", std::to_string(width), "-y", std::to_string(height), command},
                           work_dir,
                           {{"TERM", "xterm-256color"}},
                           "",
                           std::chrono::milliseconds(10000)});
  started_ = o.exit_code == 0;
}

TmuxSession::~TmuxSession() { tmux({"kill-server"}); }

std::string TmuxSession::tmux(std::vector<std::string> args) const {
  args.insert(args.begin(), {find_program("tmux"), "-S", socket_});
  return run_program({args, "", {}, "", std::chrono::milliseconds(10000)}).out;
}

void TmuxSession::type(const std::string& text) { tmux({"send-keys", "-l", text}); }
void TmuxSession::press(const std::string& key) { tmux({"send-keys", key}); }
void TmuxSession::enter_line(const std::string& text) {
  type(text);
  press("Enter");
}

std::string TmuxSession::screen() const { return tmux({"capture-pane", "-p", "-J", "-S", "-"}); }

std::string TmuxSession::screen_with_colour() const {
  return tmux({"capture-pane", "-p", "-e", "-J", "-S", "-"});
}

std::string TmuxSession::last_line() const {
  std::stringstream lines(screen());
  std::string last;
  for (std::string line; std::getline(lines, line);)
    if (line.find_first_not_of(' ') != std::string::npos) last = line;
  return last.substr(0, last.find_last_not_of(' ') + 1);
}

bool TmuxSession::program_exited() const {
  return tmux({"display-message", "-p", "#{pane_dead}"}) == "1\n";
}

size_t TmuxSession::count(const std::string& text) const {
  std::string s = screen();
  size_t n = 0;
  for (size_t at = s.find(text); at != std::string::npos; at = s.find(text, at + text.size())) ++n;
  return n;
}

static bool poll_until(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
}

bool TmuxSession::wait_for(const std::string& text, std::chrono::milliseconds limit) {
  return poll_until([&] { return screen().find(text) != std::string::npos; }, limit);
}

bool TmuxSession::wait_for_more(const std::string& text, size_t before_count,
                                std::chrono::milliseconds limit) {
  return poll_until([&] { return count(text) > before_count; }, limit);
}

bool TmuxSession::wait_for_last_line(const std::string& line, std::chrono::milliseconds limit) {
  return poll_until([&] { return last_line() == line; }, limit);
}

bool TmuxSession::wait_for_exit(std::chrono::milliseconds limit) {
  return poll_until([&] { return program_exited(); }, limit);
}

}  // namespace flowline::testing

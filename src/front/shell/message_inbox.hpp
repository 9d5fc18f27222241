#pragma once
// Engine messages on their way to the prompt. The engine's loop thread pushes (it must never
// block); the shell's thread is woken through a self-pipe that it polls beside stdin.
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace flowline::shell {

class MessageInbox {
 public:
  MessageInbox();
  ~MessageInbox();
  MessageInbox(const MessageInbox&) = delete;
  MessageInbox& operator=(const MessageInbox&) = delete;

  void push(const std::string& message);  // any thread; never blocks
  std::vector<std::string> take_all();    // the shell's thread, after fd() polled readable
  int fd() const { return pipe_[0]; }

 private:
  std::mutex mu_;
  std::deque<std::string> messages_;
  int pipe_[2] = {-1, -1};
};

}  // namespace flowline::shell

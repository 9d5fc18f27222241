#include "front/shell/message_inbox.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

namespace flowline::shell {

// Far more than a person can read; beyond it the oldest are dropped rather than growing
// without bound while the shell is busy following a log.
static constexpr size_t kMaxQueued = 1000;

MessageInbox::MessageInbox() {
  if (::pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0) std::abort();  // out of fds at start-up
}

MessageInbox::~MessageInbox() {
  ::close(pipe_[0]);
  ::close(pipe_[1]);
}

void MessageInbox::push(const std::string& message) {
  {
    std::lock_guard lock(mu_);
    if (messages_.size() >= kMaxQueued) messages_.pop_front();
    messages_.push_back(message);
  }
  char byte = 'm';
  // EAGAIN means the pipe is full of wake-ups already: the shell will wake anyway.
  (void)!::write(pipe_[1], &byte, 1);
}

std::vector<std::string> MessageInbox::take_all() {
  char buf[256];
  while (::read(pipe_[0], buf, sizeof(buf)) > 0) {
  }
  std::lock_guard lock(mu_);
  std::vector<std::string> out(messages_.begin(), messages_.end());
  messages_.clear();
  return out;
}

}  // namespace flowline::shell

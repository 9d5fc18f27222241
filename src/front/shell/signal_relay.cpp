#include "front/shell/signal_relay.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace flowline::shell {

static int g_write_fd = -1;
static struct sigaction g_old_int, g_old_winch;

static void relay(int signo) {
  int saved = errno;
  unsigned char byte = static_cast<unsigned char>(signo);
  (void)!::write(g_write_fd, &byte, 1);
  errno = saved;
}

SignalRelay::SignalRelay() {
  if (::pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0) std::abort();
  g_write_fd = pipe_[1];
  struct sigaction sa {};
  sa.sa_handler = relay;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &sa, &g_old_int);
  ::sigaction(SIGWINCH, &sa, &g_old_winch);
}

SignalRelay::~SignalRelay() {
  ::sigaction(SIGINT, &g_old_int, nullptr);
  ::sigaction(SIGWINCH, &g_old_winch, nullptr);
  g_write_fd = -1;
  ::close(pipe_[0]);
  ::close(pipe_[1]);
}

int SignalRelay::next_signal() {
  unsigned char byte = 0;
  return ::read(pipe_[0], &byte, 1) == 1 ? byte : 0;
}

}  // namespace flowline::shell

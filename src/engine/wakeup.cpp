#include "engine/wakeup.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstdio>

namespace flowline {

Wakeup::Wakeup() : fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (fd_ < 0) {
    std::perror("flowline: eventfd");
    std::abort();  // without it the engine cannot be woken; nothing sensible to continue with
  }
}

Wakeup::~Wakeup() { close(fd_); }

void Wakeup::notify() {
  uint64_t one = 1;
  // A full counter already means "wake up": ignoring EAGAIN loses nothing.
  [[maybe_unused]] ssize_t n = write(fd_, &one, sizeof one);
}

void Wakeup::drain() {
  uint64_t value;
  [[maybe_unused]] ssize_t n = read(fd_, &value, sizeof value);
}

}  // namespace flowline

#pragma once
// pidfd system calls. glibc 2.36's <sys/pidfd.h> lacks extern "C", so C++ cannot link
// against it; these call the kernel directly (Linux ≥ 5.3 for open, 5.1 for send_signal).
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace flowline::pidfd {

// A descriptor that pins process `pid` (never a later process reusing the pid); it polls
// readable once that process has exited. -1 with errno on failure.
inline int open(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0U)); }

// Signals exactly the pinned process; ESRCH once it has exited.
inline int send_signal(int fd, int sig) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, fd, sig, nullptr, 0U));
}

}  // namespace flowline::pidfd

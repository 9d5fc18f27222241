#pragma once
// Wakes the engine's loop from any thread: an eventfd the loop polls beside the run fds.
namespace flowline {

class Wakeup {
 public:
  Wakeup();
  ~Wakeup();
  Wakeup(const Wakeup&) = delete;
  Wakeup& operator=(const Wakeup&) = delete;

  void notify();  // async-signal-safe
  void drain();   // called by the loop after poll reports the fd readable
  int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace flowline

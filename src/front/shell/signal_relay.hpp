#pragma once
// Turns SIGINT (Ctrl-C) and SIGWINCH (terminal resized) into bytes on a pipe, so the shell
// handles them in its poll loop instead of in a signal handler, where almost nothing is safe.
// The previous handlers come back at destruction. One instance at a time.
namespace flowline::shell {

class SignalRelay {
 public:
  SignalRelay();
  ~SignalRelay();
  SignalRelay(const SignalRelay&) = delete;
  SignalRelay& operator=(const SignalRelay&) = delete;

  int fd() const { return pipe_[0]; }
  // Signals received since the last call, in order; 0 when none is pending.
  int next_signal();

 private:
  int pipe_[2] = {-1, -1};
};

}  // namespace flowline::shell

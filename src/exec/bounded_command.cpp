#include "exec/bounded_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <system_error>
#include <utility>
#include <vector>

#include "exec/errno_text.hpp"
#include "exec/helper_tag.hpp"
#include "exec/local/pidfd.hpp"
#include "exec/spawn_attributes.hpp"

extern char** environ;

namespace flowline {
namespace {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};

// Close-on-exec, so that a run another thread starts meanwhile never inherits our pipe ends
// (which would keep the builder's stdout open past its exit).
Result<Pipe> make_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Error{"cannot create a pipe: " + errno_text(errno)};
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

void set_nonblocking(const Fd& fd) {
  int flags = fcntl(fd.get(), F_GETFL);
  if (flags >= 0) (void)fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK);
}

// Writing to a helper that has exited must give EPIPE, not a SIGPIPE that ends FlowLine (or the
// program embedding it): SIGPIPE is blocked on this thread meanwhile, and one we caused is
// taken back before the old mask returns.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    was_pending_ = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeGuard() {
    sigset_t pending;
    sigemptyset(&pending);
    if (!was_pending_ && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
      timespec zero{};
      (void)sigtimedwait(&pipe_, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
};

// /bin/sh -c COMMAND in a process group of its own (so that it and everything it starts can be
// killed together), with default signal handling and mask whatever this thread has.
Result<pid_t> spawn_shell(const BoundedCommand& c, const Pipe& in, const Pipe& out,
                          const Pipe& err, const HelperTag& tag) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, out.write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err.write.get(), 2);
  if (!c.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, c.cwd.c_str());
  sigset_t none;
  sigemptyset(&none);
  SpawnAttributes attr(POSIX_SPAWN_SETPGROUP, none);
  std::string sh = "sh", dash_c = "-c", command = c.shell_command;
  char* argv[] = {sh.data(), dash_c.data(), command.data(), nullptr};
  std::vector<std::string> env = tag.environment(environ);
  std::vector<char*> envp;
  for (std::string& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, "/bin/sh", &actions, attr.get(), argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    std::string where = c.cwd.empty() ? "" : " in " + c.cwd;
    return Error{"cannot start /bin/sh" + where + ": " + errno_text(rc)};
  }
  return pid;
}

// The exchange with a started helper: feed stdin, drain stdout/stderr, notice its exit. The
// helper is never reaped here, so its pid (and process group id) cannot be reused meanwhile.
class Exchange {
 public:
  Exchange(const BoundedCommand& c, Fd in, Fd out, Fd err, Fd proc)
      : c_(c),
        in_(std::move(in)),
        out_(std::move(out)),
        err_(std::move(err)),
        proc_(std::move(proc)) {
    for (const Fd* fd : {&in_, &out_, &err_}) set_nonblocking(*fd);
    if (c_.input.empty()) in_.reset();
  }

  // Until stdout and stderr are closed and the helper exited, or the time limit.
  void run(BoundedOutcome& o) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(c_.timeout_ms);
    while (out_.open() || err_.open() || !exited_) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        o.timed_out = true;
        return;
      }
      pollfd fds[5];
      nfds_t n = 0;
      Fd* owners[5];
      auto watch = [&](Fd& fd, short events) {
        if (!fd.open()) return;
        fds[n] = pollfd{fd.get(), events, 0};
        owners[n++] = &fd;
      };
      watch(in_, POLLOUT);
      watch(out_, POLLIN);
      watch(err_, POLLIN);
      if (!exited_) watch(proc_, POLLIN);
      if (c_.cancel_fd >= 0) {  // the caller's, shared: watched, never read or closed
        fds[n] = pollfd{c_.cancel_fd, POLLIN, 0};
        owners[n++] = nullptr;
      }
      int ready = poll(fds, n, static_cast<int>(std::min<int64_t>(left.count(), INT_MAX)));
      if (ready < 0 && errno != EINTR) {
        o.timed_out = true;  // cannot wait on it any more: treat as hung, it gets killed
        return;
      }
      for (nfds_t i = 0; ready > 0 && i < n; ++i) {
        if (fds[i].revents == 0) continue;
        if (owners[i] == &in_)
          feed();
        else if (owners[i] == &out_)
          drain(out_, o.out);
        else if (owners[i] == &err_)
          drain(err_, o.err);
        else if (owners[i] == nullptr)
          o.cancelled = true;
        else
          exited_ = true;
      }
      if (o.cancelled) return;
      if (exited_) in_.reset();  // nobody is left to read it
      if (o.out.size() > c_.max_output) {
        o.output_too_large = true;
        return;
      }
      if (o.err.size() > 2 * c_.max_error) o.err.erase(0, o.err.size() - c_.max_error);
    }
  }

 private:
  void feed() {
    ssize_t n = ::write(in_.get(), c_.input.data() + written_, c_.input.size() - written_);
    if (n < 0) {
      if (errno != EAGAIN && errno != EINTR) in_.reset();  // EPIPE: it stopped reading; fine
      return;
    }
    written_ += static_cast<size_t>(n);
    if (written_ == c_.input.size()) in_.reset();  // EOF tells it the input is complete
  }

  void drain(Fd& fd, std::string& into) {
    char buf[65536];
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n > 0)
      into.append(buf, static_cast<size_t>(n));
    else if (n == 0 || (errno != EAGAIN && errno != EINTR))
      fd.reset();
  }

  const BoundedCommand& c_;
  Fd in_, out_, err_, proc_;
  size_t written_ = 0;
  bool exited_ = false;
};

void reap(pid_t pid, BoundedOutcome& o) {
  int status = 0;
  pid_t r;
  do r = waitpid(pid, &status, 0);
  while (r < 0 && errno == EINTR);
  if (r != pid) return;
  if (WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
}

}  // namespace

Result<BoundedOutcome> run_bounded(const BoundedCommand& c) {
  auto in = make_pipe();
  if (!in) return in.error();
  auto out = make_pipe();
  if (!out) return out.error();
  auto err = make_pipe();
  if (!err) return err.error();
  const HelperTag tag;
  Result<pid_t> pid = spawn_shell(c, *in, *out, *err, tag);
  in->read.reset();
  out->write.reset();
  err->write.reset();
  if (!pid) return pid.error();

  BoundedOutcome o;
  Fd proc(pidfd::open(*pid));
  if (!proc.open()) {
    int e = errno;
    ::kill(-*pid, SIGKILL);
    reap(*pid, o);
    return Error{"cannot watch the started /bin/sh (pidfd_open): " + errno_text(e)};
  }
  {
    SigpipeGuard no_sigpipe;
    Exchange exchange(c, std::move(in->write), std::move(out->read), std::move(err->read),
                      std::move(proc));
    exchange.run(o);
  }
  // Still unreaped, so the group id is still ours: kill whatever of it is left, and what
  // escaped the group (setsid) by its tag.
  if (o.timed_out || o.output_too_large || o.cancelled) {
    ::kill(-*pid, SIGKILL);
    tag.kill_all();
  }
  reap(*pid, o);
  if (o.err.size() > c.max_error) o.err.erase(0, o.err.size() - c.max_error);
  return o;
}

}  // namespace flowline

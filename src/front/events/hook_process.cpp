#include "front/events/hook_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <system_error>
#include <utility>

#include "exec/local/pidfd.hpp"
#include "exec/spawn_attributes.hpp"

extern char** environ;

namespace flowline::events {
namespace {

using Clock = std::chrono::steady_clock;

// Enough of stderr to find its first line; the rest is read and thrown away so that a chatty
// hook never blocks on a full pipe.
constexpr size_t kMaxErrorLine = 500;

std::string errno_text(int err) { return std::error_code(err, std::generic_category()).message(); }

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

// Close-on-exec, so that a run another thread starts meanwhile never inherits our ends (which
// would keep the hook's stderr open past its exit).
Result<Pipe> make_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Error{"cannot create a pipe: " + errno_text(errno)};
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

// /bin/sh -c COMMAND in a process group of its own (so that it and everything it starts can be
// stopped together), default signal handling, nothing blocked, stdout to /dev/null.
Result<pid_t> spawn_hook(const HookCommand& c, const Pipe& in, const Pipe& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read.get(), 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err.write.get(), 2);
  sigset_t none;
  sigemptyset(&none);
  SpawnAttributes attr(POSIX_SPAWN_SETPGROUP, none);
  std::string sh = "sh", dash_c = "-c", command = c.shell_command;
  char* argv[] = {sh.data(), dash_c.data(), command.data(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawn(&pid, "/bin/sh", &actions, attr.get(), argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Error{"cannot start /bin/sh: " + errno_text(rc)};
  return pid;
}

// A started hook until it is over: feeds stdin, reads stderr, notices the shell's exit, and
// enforces the time limit. The shell is never reaped here, so its pid (and process group id)
// cannot be reused by another process while we may still signal the group.
class HookWatch {
 public:
  HookWatch(const HookCommand& c, pid_t pid, Fd in, Fd err, Fd proc)
      : c_(c), pid_(pid), in_(std::move(in)), err_(std::move(err)), proc_(std::move(proc)) {
    for (const Fd* fd : {&in_, &err_}) {
      int flags = fcntl(fd->get(), F_GETFL);
      if (flags >= 0) (void)fcntl(fd->get(), F_SETFL, flags | O_NONBLOCK);
    }
    if (c_.input.empty()) in_.reset();
  }

  // Until the shell exited and stderr is closed (everything it started that kept stderr is
  // done too), or the group has been stopped.
  void run(HookOutcome& o) {
    auto deadline = Clock::now() + c_.time_limit;
    bool terminated = false;  // SIGTERM sent; the deadline is now the end of the grace period
    while (!exited_ || err_.open()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        if (terminated) break;
        if (!o.cancelled) o.timed_out = true;
        ::kill(-pid_, SIGTERM);
        terminated = true;
        deadline = Clock::now() + c_.grace;
        continue;
      }
      // Once stopping, cancel_fd stays readable: watching it would spin.
      if (!wait(left, !terminated ? c_.cancel_fd : -1, o)) {
        o.timed_out = true;  // cannot wait on it any more: treated as hung
        terminated = true;
        break;
      }
      if (o.cancelled && !terminated) deadline = Clock::now();
    }
    // After SIGTERM, whatever of the group is left (it ignored SIGTERM, or the shell exited
    // and left a child behind) is killed; the group id is still ours, the shell unreaped.
    if (terminated) ::kill(-pid_, SIGKILL);
    finish_line(o);
  }

 private:
  // False when poll() fails for good.
  bool wait(std::chrono::milliseconds left, int cancel_fd, HookOutcome& o) {
    pollfd fds[4];
    nfds_t n = 0;
    const Fd* owners[4];
    auto watch = [&](const Fd* fd, int raw, short events) {
      fds[n] = pollfd{raw, events, 0};
      owners[n++] = fd;
    };
    if (in_.open()) watch(&in_, in_.get(), POLLOUT);
    if (err_.open()) watch(&err_, err_.get(), POLLIN);
    if (!exited_) watch(&proc_, proc_.get(), POLLIN);
    if (cancel_fd >= 0) watch(nullptr, cancel_fd, POLLIN);  // the caller's: never read
    int ready = poll(fds, n, static_cast<int>(std::min<int64_t>(left.count(), INT_MAX)));
    if (ready < 0) return errno == EINTR;
    for (nfds_t i = 0; ready > 0 && i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (owners[i] == &in_)
        feed();
      else if (owners[i] == &err_)
        drain();
      else if (owners[i] == &proc_)
        exited_ = true;
      else
        o.cancelled = true;
    }
    if (exited_) in_.reset();  // nobody is left to read it
    return true;
  }

  void feed() {
    ssize_t n = ::write(in_.get(), c_.input.data() + written_, c_.input.size() - written_);
    if (n < 0) {
      if (errno != EAGAIN && errno != EINTR) in_.reset();  // EPIPE: it stopped reading; fine
      return;
    }
    written_ += static_cast<size_t>(n);
    if (written_ == c_.input.size()) in_.reset();  // EOF tells it the event is complete
  }

  void drain() {
    char buf[4096];
    ssize_t n = ::read(err_.get(), buf, sizeof buf);
    if (n > 0) {
      if (error_head_.size() < kMaxErrorLine) error_head_.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      err_.reset();
    }
  }

  void finish_line(HookOutcome& o) const {
    size_t start = error_head_.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return;
    size_t end = error_head_.find('\n', start);
    std::string line = error_head_.substr(start, end == std::string::npos ? end : end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.size() > kMaxErrorLine) line = line.substr(0, kMaxErrorLine) + "…";
    o.first_error_line = std::move(line);
  }

  const HookCommand& c_;
  pid_t pid_;
  Fd in_, err_, proc_;
  size_t written_ = 0;
  bool exited_ = false;
  std::string error_head_;
};

void reap(pid_t pid, HookOutcome& o) {
  int status = 0;
  pid_t r;
  do r = waitpid(pid, &status, 0);
  while (r < 0 && errno == EINTR);
  if (r != pid) return;
  if (WIFEXITED(status)) o.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
}

}  // namespace

Result<HookOutcome> run_hook(const HookCommand& c) {
  auto in = make_pipe();
  if (!in) return in.error();
  auto err = make_pipe();
  if (!err) return err.error();
  Result<pid_t> pid = spawn_hook(c, *in, *err);
  in->read.reset();
  err->write.reset();
  if (!pid) return pid.error();

  HookOutcome o;
  Fd proc(pidfd::open(*pid));
  if (!proc.open()) {
    int e = errno;
    ::kill(-*pid, SIGKILL);
    reap(*pid, o);
    return Error{"cannot watch the started /bin/sh (pidfd_open): " + errno_text(e)};
  }
  HookWatch(c, *pid, std::move(in->write), std::move(err->read), std::move(proc)).run(o);
  reap(*pid, o);
  return o;
}

}  // namespace flowline::events

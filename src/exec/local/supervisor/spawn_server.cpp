#include "exec/local/supervisor/spawn_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "exec/local/spawn_protocol.hpp"
#include "exec/local/spawn_socket.hpp"
#include "exec/local/supervisor/supervisor.hpp"

extern char** environ;

namespace flowline::supervisor {
namespace {

void reap_children() {
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
}

// Rewrites what `ps` shows for this process (the kernel reads it from the argv memory).
void set_title(ProcessTitle title, const std::string& run_dir) {
  if (title.begin == nullptr || title.size < 2) return;
  const size_t slash = run_dir.rfind('/');
  // Three arguments, NUL-separated as in any argv: `ps` shows "flowline-supervise run 17".
  using namespace std::string_literals;
  const std::string text = "flowline-supervise\0run\0"s + run_dir.substr(slash + 1);
  const size_t n = std::min(text.size(), title.size - 1);
  std::memcpy(title.begin, text.data(), n);
  std::memset(title.begin + n, 0, title.size - n);
}

// In the forked child: becomes the run's supervisor and never returns.
[[noreturn]] void become_supervisor(const spawn_protocol::Request& request, const int fds[2],
                                    ProcessTitle title) {
  set_title(title, request.run_dir);
  Options options;
  options.run_dir = request.run_dir;
  options.command = request.command;
  options.timeout_ms = request.timeout_ms;
  options.grace_ms = request.grace_ms;
  options.durable = request.durable;
  int null = open("/dev/null", O_RDONLY);
  if (null < 0 || dup2(null, 0) < 0 || dup2(fds[0], 1) < 0 || dup2(fds[1], 2) < 0) _exit(127);
  // FlowLine checked the directory just before asking; if it went away since, the run fails
  // as a shell would fail to find its command, and says why in its log.
  if (!request.cwd.empty() && chdir(request.cwd.c_str()) != 0)
    options.cannot_start = "cannot enter the working directory " + request.cwd + ": " +
                           std::strerror(errno);
  std::vector<std::string> env = request.env;
  std::vector<char*> envp;
  for (auto& entry : env) envp.push_back(entry.data());
  envp.push_back(nullptr);
  environ = envp.data();
  _exit(supervise(options));  // which closes the server's descriptors first
}

// Forks the supervisor and pins it with a pidfd before anyone could reap it.
spawn_protocol::Reply start_supervisor(const spawn_protocol::Request& request, const int fds[2],
                                       ProcessTitle title, int& pidfd) {
  pidfd = -1;
  pid_t pid = fork();
  if (pid < 0) return {errno, 0};
  if (pid == 0) become_supervisor(request, fds, title);
  pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0U));
  if (pidfd < 0) {
    // FlowLine could not watch it: take it back while it is still setting up (our unreaped
    // child, so the pid is still its own).
    const int err = errno;
    kill(pid, SIGKILL);
    return {err, 0};
  }
  return {0, pid};
}

}  // namespace

int serve(int sock, ProcessTitle title) {
  // Stop signals stay blocked (FlowLine spawned us so): a forked supervisor inherits the mask
  // and takes them through its signalfd. SIGCHLD tells us to reap.
  sigset_t mask;
  sigemptyset(&mask);
  for (int sig : {SIGCHLD, SIGTERM, SIGINT, SIGHUP}) sigaddset(&mask, sig);
  sigprocmask(SIG_BLOCK, &mask, nullptr);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0) return 1;
  const pid_t flowline = getppid();
  for (;;) {
    pollfd fds[2] = {{sock, POLLIN, 0}, {sfd, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR) return 1;
    if (fds[1].revents & POLLIN) {
      signalfd_siginfo info;
      while (read(sfd, &info, sizeof info) > 0) {
      }
      reap_children();
    }
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    std::string payload;
    int run_fds[2];
    int err = spawn_socket::receive_request(sock, payload, run_fds);
    if (err == ENODATA || err == EPIPE || err == ECONNRESET) return 0;  // FlowLine is done
    if (err) return 1;
    spawn_protocol::Reply reply{EPROTO, 0};
    // A request read after FlowLine died has nobody to record its run: start nothing.
    if (getppid() != flowline) return 0;
    int pidfd = -1;
    if (auto request = spawn_protocol::decode(payload))
      reply = start_supervisor(*request, run_fds, title, pidfd);
    close(run_fds[0]);
    close(run_fds[1]);
    err = spawn_socket::send_reply(sock, reply, pidfd);
    if (pidfd >= 0) close(pidfd);
    if (err) return 0;
  }
}

}  // namespace flowline::supervisor

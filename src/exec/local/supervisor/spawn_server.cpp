#include "exec/local/supervisor/spawn_server.hpp"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "exec/local/fixed_text.hpp"
#include "exec/local/spawn_protocol.hpp"
#include "exec/local/spawn_socket.hpp"
#include "exec/local/supervisor/run_block.hpp"
#include "exec/local/supervisor/supervisor.hpp"

namespace flowline::supervisor {
namespace {

// The started supervisor's first function, on its own stack in the server's memory: sets up
// its standard streams and working directory, then supervises. Allocates nothing.
int become_supervisor(void* arg) {
  Launch& launch = *static_cast<Launch*>(arg);
  prctl(PR_SET_NAME, launch.name);  // what `ps -o comm` and top show for it
  int null = open("/dev/null", O_RDONLY);
  if (null < 0 || dup2(null, 0) < 0 || dup2(launch.stdout_fd, 1) < 0 ||
      dup2(launch.stderr_fd, 2) < 0)
    return 127;
  // FlowLine checked the directory just before asking; if it went away since, the run fails
  // as a shell would fail to find its command, and says why in its log.
  FixedText<PATH_MAX + 64> why;
  if (launch.cwd[0] != '\0' && chdir(launch.cwd) != 0) {
    why << "cannot enter the working directory " << launch.cwd << ": " << strerrordesc_np(errno);
    launch.request.cannot_start = why.c_str();
  }
  return supervise(launch.request);  // which closes the server's descriptors first
}

// Starts the supervisor and pins it with a pidfd in the same call, before anyone could reap it.
spawn_protocol::Reply start_supervisor(const spawn_protocol::Request& request, const int fds[2],
                                       RunBlocks& blocks, int& pidfd) {
  pidfd = -1;
  const RunBlocks::Block block = blocks.take(request, fds);
  if (!block.base) return {ENOMEM, 0};
  const pid_t pid = clone(become_supervisor, block.stack_top, CLONE_VM | CLONE_PIDFD | SIGCHLD,
                          block.launch, &pidfd);
  if (pid < 0) {
    const int err = errno;
    blocks.give_back(block);
    return {err, 0};
  }
  blocks.started(block, pid);
  return {0, pid};
}

void reap_children(RunBlocks& blocks) {
  pid_t pid;
  while ((pid = waitpid(-1, nullptr, WNOHANG)) > 0) blocks.reaped(pid);
}

}  // namespace

int serve(int sock) {
  // Stop signals stay blocked (FlowLine spawned us so): a supervisor inherits the mask and
  // takes them through its signalfd. SIGCHLD tells us to reap.
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
  RunBlocks blocks;
  for (;;) {
    pollfd fds[2] = {{sock, POLLIN, 0}, {sfd, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) continue;  // every signal is blocked: nothing to tell apart
    if (fds[1].revents & POLLIN) {
      signalfd_siginfo info;
      while (read(sfd, &info, sizeof info) > 0) {
      }
      reap_children(blocks);
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
      reply = start_supervisor(*request, run_fds, blocks, pidfd);
    close(run_fds[0]);
    close(run_fds[1]);
    err = spawn_socket::send_reply(sock, reply, pidfd);
    if (pidfd >= 0) close(pidfd);
    if (err) return 0;
  }
}

}  // namespace flowline::supervisor

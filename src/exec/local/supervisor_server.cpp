#include "exec/local/supervisor_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "exec/local/spawn_socket.hpp"
#include "exec/spawn_attributes.hpp"

namespace flowline {

Result<std::unique_ptr<SupervisorServer>> SupervisorServer::start(const std::string& path) {
  int socks[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, socks) != 0)
    return Error{std::string("cannot start the supervisor server: socketpair: ") +
                 std::strerror(errno)};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, socks[1], 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  // Its own session: Ctrl-C in FlowLine's terminal is for FlowLine, which stops runs itself.
  // Stop signals start blocked, as every supervisor it forks needs them (see supervisor.cpp).
  sigset_t blocked;
  sigemptyset(&blocked);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&blocked, sig);
  SpawnAttributes attr(POSIX_SPAWN_SETSID, blocked);
  std::string program = path;
  char serve[] = "--serve";
  char* argv[] = {program.data(), serve, nullptr};
  char* envp[] = {nullptr};  // each run brings its whole environment
  pid_t pid = 0;
  int rc = posix_spawn(&pid, path.c_str(), &actions, attr.get(), argv, envp);
  posix_spawn_file_actions_destroy(&actions);
  close(socks[1]);
  if (rc != 0) {
    close(socks[0]);
    return Error{"cannot start the supervisor server " + path + ": " + std::strerror(rc)};
  }
  return std::unique_ptr<SupervisorServer>(new SupervisorServer(pid, socks[0]));
}

SupervisorServer::~SupervisorServer() {
  close(sock_);
  while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
}

SupervisorServer::Spawned SupervisorServer::spawn(const spawn_protocol::Request& request,
                                                  int stdout_fd, int stderr_fd) {
  const std::string payload = spawn_protocol::encode(request);
  if (int err = spawn_socket::send_request(sock_, payload, stdout_fd, stderr_fd)) return {0, -1, err};
  spawn_protocol::Reply reply;
  int pidfd = -1;
  if (int err = spawn_socket::receive_reply(sock_, reply, pidfd)) return {0, -1, err};
  if (reply.error == 0 && (reply.pid <= 1 || pidfd < 0)) reply.error = EPROTO;
  if (reply.error != 0) {
    if (pidfd >= 0) close(pidfd);
    return {0, -1, reply.error};
  }
  return {reply.pid, pidfd, 0};
}

}  // namespace flowline

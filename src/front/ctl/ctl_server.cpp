#include "front/ctl/ctl_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "front/ctl/ctl_protocol.hpp"
#include "front/ctl/unix_socket.hpp"
#include "front/shell/command_interpreter.hpp"

namespace flowline::ctl {

static constexpr int kConnectionTimeoutS = 5;
// More clients at once than anyone types: past it, a newcomer is told to try again (a runaway
// script must not make FlowLine start threads without end).
static constexpr size_t kMaxConnections = 32;

CtlServer::CtlServer(EngineApi& engine, std::string state_dir)
    : engine_(engine), path_(socket_path(state_dir)) {}

CtlServer::~CtlServer() { stop(); }

// Is something answering on the socket? A refused connect means a crashed instance's leftover.
static bool socket_is_live(const sockaddr_un& addr) {
  FdGuard fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return false;
  return ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0;
}

Status CtlServer::claim_path() {
  auto reach = ReachablePath::of(path_);
  if (!reach.ok()) return reach.error();
  auto addr = reach->address();
  if (!addr.ok()) return addr.error();
  struct stat st {};
  if (::lstat(path_.c_str(), &st) != 0) {
    if (errno == ENOENT) return ok_status();
    return Error{path_ + ": " + std::strerror(errno)};
  }
  if (!S_ISSOCK(st.st_mode))
    return Error{path_ + " exists and is not a socket; remove it if it is not needed"};
  if (socket_is_live(addr.value()))
    return Error{"another FlowLine is already running with this state directory (" + path_ +
                 " answers); use `flowline ctl` to talk to it, or another --state-dir"};
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT)
    return Error{"cannot remove the stale socket " + path_ + ": " + std::strerror(errno)};
  return ok_status();
}

Status CtlServer::bind_socket() {
  auto reach = ReachablePath::of(path_);
  if (!reach.ok()) return reach.error();
  auto addr = reach->address();
  if (!addr.ok()) return addr.error();
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return Error{std::string("ctl socket: ") + std::strerror(errno)};
  // The umask makes the file 0600 from its first instant; chmod makes sure of it.
  mode_t old_mask = ::umask(0177);
  int rc =
      ::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&addr.value()), sizeof(sockaddr_un));
  int bind_errno = errno;
  ::umask(old_mask);
  if (rc != 0) return Error{"cannot create " + path_ + ": " + std::strerror(bind_errno)};
  struct stat st {};
  if (::chmod(path_.c_str(), 0600) != 0 || ::lstat(path_.c_str(), &st) != 0)
    return Error{"cannot secure " + path_ + ": " + std::strerror(errno)};
  bound_inode_ = st.st_ino;
  if (::listen(listen_fd_, 16) != 0)
    return Error{"cannot listen on " + path_ + ": " + std::strerror(errno)};
  return ok_status();
}

Status CtlServer::start() {
  if (Status claimed = claim_path(); !claimed.ok()) return claimed;
  if (Status bound = bind_socket(); !bound.ok()) {
    stop();
    return bound;
  }
  if (::pipe2(wake_pipe_, O_CLOEXEC) != 0) {
    stop();
    return Error{std::string("ctl server: pipe: ") + std::strerror(errno)};
  }
  thread_ = std::thread([this] { serve_loop(); });
  return ok_status();
}

void CtlServer::stop() {
  if (thread_.joinable()) {
    char byte = 'q';
    (void)!::write(wake_pipe_[1], &byte, 1);
    thread_.join();
  }
  for (int& fd : wake_pipe_) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
    // Remove the socket only if it is still the one we made (not a successor's).
    struct stat st {};
    if (::lstat(path_.c_str(), &st) == 0 && st.st_ino == bound_inode_) ::unlink(path_.c_str());
  }
}

void CtlServer::serve_loop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents != 0) break;
    join_connections(false);
    if (fds[0].revents & POLLIN) {
      const int conn = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn >= 0) start_connection(conn);
    }
  }
  join_connections(true);
}

void CtlServer::start_connection(int fd) {
  if (connections_.size() >= kMaxConnections) {
    set_timeouts(fd, 1);
    (void)write_all(fd, encode_reply({false, "FlowLine is busy with " +
                                                 std::to_string(kMaxConnections) +
                                                 " other ctl clients; try again\n"}));
    ::close(fd);
    return;
  }
  auto connection = std::make_unique<Connection>();
  Connection& c = *connection;
  c.fd = fd;
  c.thread = std::thread([this, &c] {
    serve_connection(c.fd);
    ::shutdown(c.fd, SHUT_RDWR);  // the client reads to the end: this is it (closed at join)
    c.done = true;
  });
  connections_.push_back(std::move(connection));
}

void CtlServer::join_connections(bool all) {
  for (auto it = connections_.begin(); it != connections_.end();) {
    Connection& c = **it;
    if (!all && !c.done) {
      ++it;
      continue;
    }
    // A silent client's read ends now. Only the read: a connection already answering (the
    // `stop` that closes this server, above all) still writes its reply; cutting both ways made
    // `ctl stop` say "closed the connection without answering" when the engine stopped before
    // its reply was written (seen under ThreadSanitizer's timing). The send timeout bounds it.
    if (!c.done) ::shutdown(c.fd, SHUT_RD);
    c.thread.join();
    ::close(c.fd);
    it = connections_.erase(it);
  }
}

static CtlReply answer(EngineApi& engine, const std::string& line) {
  auto request = decode_request(line);
  if (!request.ok()) return {false, request.error().message + "\n"};
  shell::CommandInterpreter interpreter(engine, shell::Surface::kCtl);
  shell::Presentation how{request->width, request->colour};
  shell::CommandOutcome out = interpreter.execute(request->argv, how);
  return {out.ok, out.text};
}

void CtlServer::serve_connection(int fd) {
  set_timeouts(fd, kConnectionTimeoutS);
  std::optional<unsigned> uid = peer_uid(fd);
  if (!uid || *uid != ::geteuid()) {
    std::string who = uid ? "uid " + std::to_string(*uid) : "an unknown user";
    (void)write_all(fd, encode_reply({false, "refused: " + who +
                                                 " is not the user running "
                                                 "this FlowLine\n"}));
    return;
  }
  auto line = read_until(fd, '\n', kMaxRequestBytes);
  CtlReply reply =
      line.ok() ? answer(engine_, line.value()) : CtlReply{false, line.error().message + "\n"};
  (void)write_all(fd, encode_reply(reply));  // a client that left early is not our problem
}

}  // namespace flowline::ctl

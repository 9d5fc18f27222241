#include "exec/local/spawn_socket.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace flowline::spawn_socket {
namespace {

int write_all(int sock, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = send(sock, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return 0;
}

// Reads exactly `size` bytes; ENODATA if the stream ends before the first byte, EPIPE after.
int read_all(int sock, char* data, size_t size) {
  size_t got = 0;
  while (got < size) {
    ssize_t n = recv(sock, data + got, size - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return got == 0 ? ENODATA : EPIPE;
    got += static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace

namespace {

void close_received(int fds[2]) {
  for (int i = 0; i < 2; ++i)
    if (fds[i] >= 0) close(fds[i]);
  fds[0] = fds[1] = -1;
}

// One message: `bytes` with up to two descriptors attached to its first byte.
int send_with_fds(int sock, const char* bytes, size_t size, const int* fds, size_t fd_count) {
  iovec iov{const_cast<char*>(bytes), size};
  alignas(cmsghdr) char control[CMSG_SPACE(2 * sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (fd_count > 0) {
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(fd_count * sizeof(int));
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(fd_count * sizeof(int));
    std::memcpy(CMSG_DATA(c), fds, fd_count * sizeof(int));
  }
  ssize_t n;
  do n = sendmsg(sock, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  if (n < 0) return errno;
  return write_all(sock, bytes + n, size - static_cast<size_t>(n));
}

// Reads exactly `size` bytes and up to two descriptors sent with them (-1 where none came).
int receive_with_fds(int sock, char* bytes, size_t size, int fds[2]) {
  fds[0] = fds[1] = -1;
  iovec iov{bytes, size};
  alignas(cmsghdr) char control[CMSG_SPACE(2 * sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0) return errno;
  if (n == 0) return ENODATA;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    const size_t count = std::min<size_t>((c->cmsg_len - CMSG_LEN(0)) / sizeof(int), 2);
    std::memcpy(fds, CMSG_DATA(c), count * sizeof(int));
  }
  int err = (msg.msg_flags & MSG_CTRUNC) ? EPROTO : 0;
  if (!err && static_cast<size_t>(n) < size) {
    err = read_all(sock, bytes + n, size - static_cast<size_t>(n));
    if (err == ENODATA) err = EPIPE;
  }
  if (err) close_received(fds);
  return err;
}

}  // namespace

int send_request(int sock, const std::string& payload, int out_fd, int err_fd) {
  const auto length = static_cast<uint32_t>(payload.size());
  char header[sizeof length];
  std::memcpy(header, &length, sizeof length);
  const int fds[2] = {out_fd, err_fd};
  if (int err = send_with_fds(sock, header, sizeof header, fds, 2)) return err;
  return write_all(sock, payload.data(), payload.size());
}

int receive_request(int sock, std::string& payload, int fds[2]) {
  uint32_t length = 0;
  char header[sizeof length];
  if (int err = receive_with_fds(sock, header, sizeof header, fds)) return err;
  auto fail = [&](int err) {
    close_received(fds);
    return err;
  };
  if (fds[0] < 0 || fds[1] < 0) return fail(EPROTO);
  std::memcpy(&length, header, sizeof length);
  if (length > spawn_protocol::kMaxRequestBytes) return fail(EPROTO);
  payload.resize(length);
  if (int err = read_all(sock, payload.data(), length)) return fail(err == ENODATA ? EPIPE : err);
  return 0;
}

int send_reply(int sock, const spawn_protocol::Reply& reply, int pidfd) {
  char bytes[sizeof reply.error + sizeof reply.pid];
  std::memcpy(bytes, &reply.error, sizeof reply.error);
  std::memcpy(bytes + sizeof reply.error, &reply.pid, sizeof reply.pid);
  return send_with_fds(sock, bytes, sizeof bytes, &pidfd, pidfd >= 0 ? 1 : 0);
}

int receive_reply(int sock, spawn_protocol::Reply& reply, int& pidfd) {
  char bytes[sizeof reply.error + sizeof reply.pid];
  int fds[2];
  pidfd = -1;
  if (int err = receive_with_fds(sock, bytes, sizeof bytes, fds)) return err == ENODATA ? EPIPE : err;
  if (fds[1] >= 0) close(fds[1]);
  pidfd = fds[0];
  std::memcpy(&reply.error, bytes, sizeof reply.error);
  std::memcpy(&reply.pid, bytes + sizeof reply.error, sizeof reply.pid);
  return 0;
}

}  // namespace flowline::spawn_socket

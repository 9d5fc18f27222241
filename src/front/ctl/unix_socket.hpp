#pragma once
// Small checked wrappers over Unix-domain stream sockets for the ctl client and server.
#include <sys/un.h>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "core/result.hpp"

namespace flowline::ctl {

std::string socket_path(const std::string& state_dir);  // <state-dir>/ctl.sock

Result<sockaddr_un> socket_address(const std::string& path);  // refuses a path too long

// The path by which bind/connect reach the socket at `path`: `path` itself when it fits in a
// sockaddr_un, else /proc/self/fd/N/NAME, N a descriptor of its directory held open for as long
// as this lives. A deep --state-dir (over 107 bytes with /ctl.sock) then still has a ctl.
class ReachablePath {
 public:
  // An error (naming the path) only when the directory cannot be opened.
  static Result<ReachablePath> of(const std::string& path);
  ReachablePath(ReachablePath&& other) noexcept;
  ReachablePath& operator=(ReachablePath&&) = delete;
  ReachablePath(const ReachablePath&) = delete;
  ~ReachablePath();
  const std::string& path() const { return short_; }
  Result<sockaddr_un> address() const { return socket_address(short_); }

 private:
  ReachablePath(std::string short_path, int dir_fd) : short_(std::move(short_path)), dir_fd_(dir_fd) {}
  std::string short_;
  int dir_fd_ = -1;
};
// The uid at the other end of a connected socket (SO_PEERCRED).
std::optional<unsigned> peer_uid(int fd);
void set_timeouts(int fd, int seconds);
Status write_all(int fd, const std::string& data);
// Reads until `delimiter` (kept out of the result), EOF or `limit` bytes.
Result<std::string> read_until(int fd, char delimiter, size_t limit);
// Everything until the other end closes; an error beyond `limit` bytes.
Result<std::string> read_to_end(int fd, size_t limit);

// Closes the descriptor when it goes out of scope.
class FdGuard {
 public:
  explicit FdGuard(int fd = -1) : fd_(fd) {}
  ~FdGuard();
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace flowline::ctl

#pragma once
// Small checked wrappers over Unix-domain stream sockets for the ctl client and server.
#include <sys/un.h>

#include <cstddef>
#include <optional>
#include <string>

#include "core/result.hpp"

namespace flowline::ctl {

std::string socket_path(const std::string& state_dir);  // <state-dir>/ctl.sock

Result<sockaddr_un> socket_address(const std::string& path);  // refuses a path too long
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

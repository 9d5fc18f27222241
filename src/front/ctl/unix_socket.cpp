#include "front/ctl/unix_socket.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace flowline::ctl {

std::string socket_path(const std::string& state_dir) { return state_dir + "/ctl.sock"; }

Result<sockaddr_un> socket_address(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path))
    return Error{"socket path " + path + " is too long for a Unix socket (" +
                 std::to_string(sizeof(addr.sun_path) - 1) +
                 " bytes at most): use a shorter "
                 "--state-dir"};
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

Result<ReachablePath> ReachablePath::of(const std::string& path) {
  if (path.size() < sizeof(sockaddr_un::sun_path)) return ReachablePath(path, -1);
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  const int fd = ::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error{"cannot open " + dir + " (for its socket): " + std::strerror(errno)};
  return ReachablePath("/proc/self/fd/" + std::to_string(fd) + "/" + path.substr(slash + 1), fd);
}

ReachablePath::ReachablePath(ReachablePath&& other) noexcept
    : short_(std::move(other.short_)), dir_fd_(std::exchange(other.dir_fd_, -1)) {}

ReachablePath::~ReachablePath() {
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

std::optional<unsigned> peer_uid(int fd) {
  ucred cred{};
  socklen_t len = sizeof(cred);
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return std::nullopt;
  return cred.uid;
}

void set_timeouts(int fd, int seconds) {
  timeval tv{seconds, 0};
  // Best effort: without a timeout a stuck peer only delays, it cannot corrupt anything.
  (void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  (void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

Status write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{std::string("ctl socket: write failed: ") + std::strerror(errno)};
    done += static_cast<size_t>(n);
  }
  return ok_status();
}

Result<std::string> read_until(int fd, char delimiter, size_t limit) {
  std::string data;
  char buf[64 * 1024];
  while (data.size() < limit) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{std::string("ctl socket: read failed: ") + std::strerror(errno)};
    if (n == 0) return data;
    // Only the new bytes are searched: scanning all of a 38 MB answer after every read made
    // `ctl task --json` of 100,000 tasks take 15 s.
    const void* at = std::memchr(buf, delimiter, static_cast<size_t>(n));
    if (at) return data.append(buf, static_cast<const char*>(at) - buf);
    data.append(buf, static_cast<size_t>(n));
  }
  return Error{"ctl socket: message longer than " + std::to_string(limit) + " bytes"};
}

Result<std::string> read_to_end(int fd, size_t limit) {
  std::string data;
  char buf[64 * 1024];
  while (data.size() <= limit) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{std::string("ctl socket: read failed: ") + std::strerror(errno)};
    if (n == 0) return data;
    data.append(buf, static_cast<size_t>(n));
  }
  return Error{"ctl socket: message longer than " + std::to_string(limit) + " bytes"};
}

FdGuard::~FdGuard() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace flowline::ctl

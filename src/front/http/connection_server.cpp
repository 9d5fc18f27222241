#include "front/http/connection_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "table/heap_tuning.hpp"

namespace flowline::http {
namespace {

constexpr size_t kMaxHeadBytes = 16 * 1024;  // request line and headers together

bool wait_for(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  int n;
  do {
    n = poll(&p, 1, timeout_ms);
  } while (n < 0 && errno == EINTR);
  return n > 0;
}

int to_ms(time_t sec, time_t usec) { return static_cast<int>(sec * 1000 + usec / 1000); }

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool has_header(const std::string& head, const char* name) {
  return lowered(head).find(std::string("\r\n") + name + ":") != std::string::npos;
}

// Debian's httplib compresses with brotli at its slowest setting whenever a browser accepts
// it: 30 ms of CPU for a page of 100 tasks, against 2 ms with gzip (docs/benchmarks.md). The
// browser is told it may have gzip only, by taking "br" out of its Accept-Encoding.
void refuse_brotli(std::string& head) {
  const size_t at = lowered(head).find("\r\naccept-encoding:");
  if (at == std::string::npos) return;
  const size_t value = head.find(':', at) + 1;
  const size_t end = head.find("\r\n", value);
  auto trimmed = [](std::string text) {
    const size_t first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return std::string();
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
  };
  std::string kept;
  for (size_t start = value; start <= end;) {
    const size_t comma = std::min(head.find(',', start), end);
    const std::string token = trimmed(head.substr(start, comma - start));
    if (!token.empty() && lowered(trimmed(token.substr(0, token.find(';')))) != "br")
      kept += (kept.empty() ? " " : ", ") + token;
    start = comma + 1;
  }
  head.replace(value, end - value, kept.empty() ? " identity" : kept);
}

// A request that may carry a body but says nothing of its length has none (RFC 9112 6.3):
// say so, so that httplib does not wait for the end of the connection.
void complete_head(std::string& head) {
  const bool may_have_body = head.rfind("POST ", 0) == 0 || head.rfind("PUT ", 0) == 0 ||
                             head.rfind("PATCH ", 0) == 0;
  if (!may_have_body || has_header(head, "content-length") ||
      has_header(head, "transfer-encoding"))
    return;
  head.insert(head.size() - 2, "Content-Length: 0\r\n");
}

class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(int fd, int read_ms, int write_ms) : fd_(fd), read_ms_(read_ms), write_ms_(write_ms) {}

  // Reads the next request's head (keeping what follows it) and completes it. False when
  // the peer closed, or sent no complete head in time: httplib then answers what it can.
  void begin_request() {
    size_t end;
    while ((end = buffer_.find("\r\n\r\n", offset_)) == std::string::npos &&
           buffer_.size() - offset_ < kMaxHeadBytes) {
      if (!fill()) return;
    }
    if (end == std::string::npos) return;
    std::string head = buffer_.substr(offset_, end + 4 - offset_);
    complete_head(head);
    refuse_brotli(head);
    buffer_ = head + buffer_.substr(end + 4);
    offset_ = 0;
  }
  bool has_buffered() const { return offset_ < buffer_.size(); }

  bool is_readable() const override { return has_buffered() || wait_for(fd_, POLLIN, read_ms_); }
  bool is_writable() const override { return wait_for(fd_, POLLOUT, write_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    if (!has_buffered() && !fill()) return closed_ ? 0 : -1;
    const size_t n = std::min(size, buffer_.size() - offset_);
    std::memcpy(ptr, buffer_.data() + offset_, n);
    offset_ += n;
    if (offset_ == buffer_.size()) buffer_.clear(), offset_ = 0;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;  // a client that stopped reading is given up on
    ssize_t n;
    do {
      n = ::send(fd_, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n > 0) written_ += static_cast<size_t>(n);
    return n;
  }
  // Bytes sent since the last call.
  size_t take_written() { return std::exchange(written_, 0); }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    address_of(getpeername, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    address_of(getsockname, ip, port);
  }
  socket_t socket() const override { return fd_; }

 private:
  // Appends what the socket has, waiting up to the read timeout; false on end or timeout.
  bool fill() {
    if (!wait_for(fd_, POLLIN, read_ms_)) return false;
    char chunk[16 * 1024];
    ssize_t n;
    do {
      n = ::recv(fd_, chunk, sizeof chunk, 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
      closed_ = n == 0;
      return false;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  template <class Get>
  void address_of(Get get, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    ip.clear();
    port = 0;
    if (get(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
      auto* a = reinterpret_cast<sockaddr_in*>(&addr);
      inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
      port = ntohs(a->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
      inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
      port = ntohs(a->sin6_port);
    }
    ip = text;
  }

  int fd_;
  int read_ms_, write_ms_;
  std::string buffer_;
  size_t offset_ = 0;
  size_t written_ = 0;
  bool closed_ = false;
};

// An answer this large (the whole task list of a big table) leaves its freed buffers mapped.
constexpr size_t kLargeAnswerBytes = 1 << 20;

}  // namespace

bool ConnectionServer::process_and_close_socket(socket_t sock) {
  // httplib writes a response's head and body separately: with Nagle's algorithm and the
  // client's delayed ACK, every small answer would wait 40 ms for the second write.
  int yes = 1;
  setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  ConnectionStream stream(sock, to_ms(read_timeout_sec_, read_timeout_usec_),
                          to_ms(write_timeout_sec_, write_timeout_usec_));
  const int idle_ms = static_cast<int>(keep_alive_timeout_sec_ * 1000);
  bool ok = true;
  for (size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET; --left) {
    // Between requests: wait for the next one, a little at a time, so that stop() is seen.
    int waited = 0;
    while (!stream.has_buffered() && waited < idle_ms && svr_sock_ != INVALID_SOCKET &&
           !wait_for(sock, POLLIN, 100))
      waited += 100;
    if (!stream.has_buffered() && (waited >= idle_ms || svr_sock_ == INVALID_SOCKET)) break;
    stream.begin_request();
    bool closed = false;
    ok = process_request(stream, left == 1, closed, nullptr);
    if (stream.take_written() >= kLargeAnswerBytes) release_free_heap();
    if (!ok || closed) break;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace flowline::http

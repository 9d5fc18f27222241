#include "integration/support/served.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>
#include <stdexcept>

namespace flowline::testing {

ServedFlowLine::ServedFlowLine(const std::string& table_csv) {
  write_file(dir_.file("todo.csv"), table_csv);
  write_file(dir_.file("work.sh"), kHoldingWork);
}

ServedFlowLine::~ServedFlowLine() {
  open_gate();
  if (pid_ > 0) stop();
}

void ServedFlowLine::open_gate() const { write_file(dir_.file("gate"), ""); }

std::string ServedFlowLine::output() const { return read_file(dir_.file(log_)); }

void ServedFlowLine::start(const std::vector<std::string>& extra) {
  log_ = "serve-" + std::to_string(++starts_) + ".log";
  std::vector<std::string> args = {"serve",     "todo.csv",        "--web",     "127.0.0.1:0",
                                   "--cmd",     "sh work.sh",      "--state-dir", state_dir(),
                                   "--log-dir", log_dir(),         "--sim-gpus", "2x24000"};
  args.insert(args.end(), extra.begin(), extra.end());
  pid_ = spawn_flowline(args, dir_.path(), log_);
  if (pid_ <= 0) throw std::runtime_error("cannot start flowline serve");
  const std::regex url(R"(http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]{64}))");
  std::smatch m;
  const bool printed = wait_until([&] {
    const std::string text = output();
    return std::regex_search(text, m, url);
  });
  if (!printed) throw std::runtime_error("flowline serve printed no URL:\n" + output());
  const std::string text = output();
  std::regex_search(text, m, url);
  port_ = std::stoi(m[1]);
  token_ = m[2];
  // cpp-httplib (not instrumented) builds function-local statics on first use, such as the
  // regex that reads a response's status line. One request from this thread builds them before
  // any test starts client threads, so ThreadSanitizer sees them built first (make tsan; the
  // library's own guard check is invisible to it, see tests/tsan.supp).
  (void)client()->Get("/api/v1/status");
}

int ServedFlowLine::stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const int code = wait_for(pid_);
  pid_ = -1;
  return code;
}

std::unique_ptr<httplib::Client> ServedFlowLine::anonymous() const {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
  c->set_connection_timeout(std::chrono::seconds(10));
  c->set_read_timeout(std::chrono::seconds(30));
  return c;
}

std::unique_ptr<httplib::Client> ServedFlowLine::client() const {
  auto c = anonymous();
  c->set_bearer_token_auth(token_);
  return c;
}

nlohmann::json ServedFlowLine::get_json(const std::string& path, int expect_status) const {
  auto res = client()->Get(path);
  if (!res) throw std::runtime_error("GET " + path + ": no answer");
  if (res->status != expect_status)
    throw std::runtime_error("GET " + path + ": status " + std::to_string(res->status) + ": " +
                             res->body);
  return nlohmann::json::parse(res->body, nullptr, false);
}

nlohmann::json ServedFlowLine::post_json(const std::string& path, const nlohmann::json& body,
                                         int expect_status) const {
  auto res = client()->Post(path, body.dump(), "application/json");
  if (!res) throw std::runtime_error("POST " + path + ": no answer");
  if (res->status != expect_status)
    throw std::runtime_error("POST " + path + ": status " + std::to_string(res->status) + ": " +
                             res->body);
  return nlohmann::json::parse(res->body, nullptr, false);
}

namespace {

// A reply with a Content-Length whose body has all arrived (the server may keep the
// connection open after it).
bool complete_response(const std::string& reply) {
  const size_t head_end = reply.find("\r\n\r\n");
  if (head_end == std::string::npos) return false;
  std::smatch m;
  const std::string head = reply.substr(0, head_end);
  if (!std::regex_search(head, m, std::regex("Content-Length: (\\d+)", std::regex::icase)))
    return false;
  return reply.size() - head_end - 4 >= std::stoul(m[1]);
}

}  // namespace

RawResponse raw_http(int port, const std::string& request, std::chrono::milliseconds timeout) {
  RawResponse out;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd >= 0) close(fd);
    return out;
  }
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early on an oversized request: read its reply
    sent += static_cast<size_t>(n);
  }
  std::string reply;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[8192];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    reply.append(buf, static_cast<size_t>(n));
    if (complete_response(reply)) break;
  }
  close(fd);
  size_t head_end = reply.find("\r\n\r\n");
  out.head = reply.substr(0, head_end);
  out.body = head_end == std::string::npos ? "" : reply.substr(head_end + 4);
  if (reply.rfind("HTTP/1.", 0) == 0 && reply.size() > 12) out.status = std::stoi(reply.substr(9, 3));
  return out;
}

}  // namespace flowline::testing

#include "front/http/http_server.hpp"

#include <sys/socket.h>

#include <charconv>

#include "front/http/connection_pool.hpp"
#include "front/http/http_reply.hpp"
#include "front/http/index_page.hpp"

namespace flowline::http {
namespace {

// httplib listens with a backlog of 5; 50 clients connecting at once would see dropped SYNs
// and one-second retries. listen() again on the bound socket raises it.
constexpr int kListenBacklog = 512;

std::string version_text() {
#ifdef FLOWLINE_VERSION
  return FLOWLINE_VERSION;
#else
  return "dev";
#endif
}

}  // namespace

Result<HttpOptions> parse_web_address(const std::string& text) {
  HttpOptions o;
  std::string port_text = text;
  if (!text.empty() && text[0] == '[') {
    size_t close = text.find("]:");
    if (close == std::string::npos)
      return Error{"--web: expected [ADDR:]PORT like [::1]:8080, got '" + text + "'"};
    o.host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else if (size_t colon = text.rfind(':'); colon != std::string::npos) {
    o.host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  int port = -1;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (o.host.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port < 0 || port > 65535)
    return Error{"--web: expected [ADDR:]PORT like 8080 or 0.0.0.0:8080 (0 = any free port), got '" +
                 text + "'"};
  o.port = port;
  return o;
}

HttpServer::HttpServer(HttpParts parts, HttpOptions options)
    : options_(std::move(options)),
      tokens_(parts.state_dir),
      events_(parts.engine),
      context_{parts.engine, events_, parts.sampler, nullptr, parts.state_dir,
               parts.log_dir, parts.table_path, version_text()},
      guard_(tokens_, options_.host) {}

HttpServer::~HttpServer() { stop(); }

bool HttpServer::wildcard_bind() const {
  return options_.host == "0.0.0.0" || options_.host == "::";
}

void HttpServer::install_handlers() {
  const size_t max_threads = options_.max_connections;
  server_.new_task_queue = [max_threads] { return new ConnectionPool(max_threads); };
  server_.set_payload_max_length(options_.max_body_bytes);
  server_.set_read_timeout(std::chrono::seconds(10));
  server_.set_write_timeout(std::chrono::seconds(5));
  server_.set_keep_alive_timeout(5);
  server_.set_keep_alive_max_count(10'000);
  server_.set_socket_options([this](int fd) {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd_ = fd;
  });
  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    return guard_.admit(req, res) ? httplib::Server::HandlerResponse::Unhandled
                                  : httplib::Server::HandlerResponse::Handled;
  });
  server_.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");  // the token must not leak in Referer
    if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
  });
  server_.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404)
      return reply_error(res, 404, "no route " + req.method + " " + req.path +
                                       " (see docs/http-api.md)");
    if (res.status == 413)
      return reply_error(res, 413, "request body too large (the limit is 1 MiB)");
    reply_error(res, res.status, "bad request: " + req.method + " " + req.path);
  });
  server_.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        reply_error(res, 500, "internal error serving " + req.method + " " + req.path + ": " + what);
      });
  add_original_routes(server_, context_);
  add_v1_routes(server_, context_);
  add_event_routes(server_, context_);
  add_metrics_routes(server_, context_);
  add_index_page(server_, context_);
}

Status HttpServer::start() {
  if (Status s = tokens_.load(); !s.ok()) return s;
  if (auto history = RunHistory::open(context_.state_dir); history.ok()) {
    history_ = std::move(*history);
    context_.history = history_.get();
  }
  install_handlers();
  if (options_.port == 0) {
    port_ = server_.bind_to_any_port(options_.host);
    if (port_ <= 0)
      return Error{"cannot listen on " + options_.host + " (is it an address of this machine?)",
                   ErrorKind::kUnavailable};
  } else {
    if (!server_.bind_to_port(options_.host, options_.port))
      return Error{"cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                       " (in use by another program, or not an address of this machine); "
                       "choose another with --web PORT, or --web 0 for any free port",
                   ErrorKind::kUnavailable};
    port_ = options_.port;
  }
  if (listen_fd_ >= 0) ::listen(listen_fd_, kListenBacklog);
  running_ = true;
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  return ok_status();
}

void HttpServer::stop() {
  if (!running_) return;
  running_ = false;
  events_.close();  // event streams end, so their threads can be joined
  server_.stop();
  thread_.join();
}

std::string HttpServer::url() {
  std::string host = wildcard_bind() ? "127.0.0.1" : options_.host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(port_) + "/?token=" + tokens_.current();
}

}  // namespace flowline::http

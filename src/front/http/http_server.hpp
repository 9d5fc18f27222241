#pragma once
// FlowLine's HTTP server (DESIGN.md §2 "HTTP API and web UI"): the original's routes and
// FlowLine's /api/v1, /metrics and /healthz, behind the access token (request_guard.hpp), on
// threads of its own (connection_pool.hpp). It reads engine snapshots and sends commands
// like any front end; the engine never waits for it.
#include <memory>
#include <string>
#include <thread>

#include <httplib.h>

#include "core/result.hpp"
#include "engine/engine_api.hpp"
#include "front/events/event_ring.hpp"
#include "front/http/access_token.hpp"
#include "front/http/connection_server.hpp"
#include "front/http/request_guard.hpp"
#include "front/http/route_context.hpp"

namespace flowline::http {

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 0;                   // 0: any free port
  size_t max_connections = 256;   // open connections (an event stream holds one)
  size_t max_body_bytes = 1 << 20;
};

struct HttpParts {
  EngineApi& engine;
  const Sampler* sampler = nullptr;
  std::string state_dir;
  std::string log_dir;
  std::string table_path;
};

// "[ADDR:]PORT" as --web takes it: "8080", "0.0.0.0:8080", "[::1]:8080".
Result<HttpOptions> parse_web_address(const std::string& text);

class HttpServer {
 public:
  HttpServer(HttpParts parts, HttpOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and serves on its own threads; the error says what to change (a port in use).
  Status start();
  void stop();
  int port() const { return port_; }
  // http://127.0.0.1:PORT/?token=… (the address to open in a browser).
  std::string url();
  bool wildcard_bind() const;

 private:
  void install_handlers();

  HttpOptions options_;
  TokenFile tokens_;
  events::EventRing events_;
  std::unique_ptr<RunHistory> history_;
  RouteContext context_;
  RequestGuard guard_;
  ConnectionServer server_;
  std::thread thread_;
  int listen_fd_ = -1;
  int port_ = 0;
  bool running_ = false;
};

}  // namespace flowline::http

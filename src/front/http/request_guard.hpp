#pragma once
// Who may talk to the HTTP server (DESIGN.md §2): every request but /healthz carries the
// access token (Authorization: Bearer, the page's cookie, or ?token= once to get the cookie);
// the Host header names the bound address or localhost (no DNS rebinding); a cross-site
// Origin is refused; and repeated bad tokens are slowed down.
#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include <httplib.h>

#include "front/http/access_token.hpp"

namespace flowline::http {

inline constexpr const char* kTokenCookie = "flowline_token";

// The Set-Cookie value that gives a browser the token: HttpOnly (no script reads it),
// SameSite=Strict (no other site's page sends it).
std::string token_cookie(const std::string& token);

class RequestGuard {
 public:
  // `bound_host`: the address the server listens on ("127.0.0.1", "0.0.0.0", "::1", a name).
  RequestGuard(TokenFile& tokens, std::string bound_host);

  // True when the request may go on to its route; otherwise `res` holds the refusal (or, for
  // a page opened with ?token=, the redirect that sets the cookie).
  bool admit(const httplib::Request& req, httplib::Response& res);

 private:
  bool host_allowed(const std::string& host_header) const;
  bool origin_allowed(const httplib::Request& req) const;
  std::string presented_token(const httplib::Request& req) const;
  void slow_down_after_failure();

  TokenFile& tokens_;
  std::string bound_host_;
  std::vector<std::string> allowed_hosts_;
  std::mutex failures_mutex_;
  std::deque<std::chrono::steady_clock::time_point> failures_;
};

// "Host: 127.0.0.1:8080" -> "127.0.0.1"; "[::1]:80" -> "::1".
std::string host_without_port(const std::string& host_header);

}  // namespace flowline::http

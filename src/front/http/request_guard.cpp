#include "front/http/request_guard.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <thread>

#include "front/http/http_reply.hpp"

namespace flowline::http {
namespace {

// Bad tokens beyond this many a minute wait a second each: a guess costs far more than a
// typo, and a 256-bit token is out of reach of guessing anyway.
constexpr size_t kFreeFailuresPerMinute = 10;

bool is_ip_literal(const std::string& host) {
  return !host.empty() && (host.find(':') != std::string::npos ||
                           std::all_of(host.begin(), host.end(),
                                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; }));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string cookie_value(const std::string& cookies, const std::string& name) {
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    std::string part = cookies.substr(pos, end - pos);
    size_t start = part.find_first_not_of(' ');
    if (start != std::string::npos) part = part.substr(start);
    if (part.compare(0, name.size() + 1, name + "=") == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

}  // namespace

std::string token_cookie(const std::string& token) {
  return std::string(kTokenCookie) + "=" + token + "; HttpOnly; SameSite=Strict; Path=/";
}

std::string host_without_port(const std::string& host_header) {
  if (!host_header.empty() && host_header[0] == '[') {
    size_t close = host_header.find(']');
    return close == std::string::npos ? host_header : host_header.substr(1, close - 1);
  }
  size_t colon = host_header.find(':');
  return lower(colon == std::string::npos ? host_header : host_header.substr(0, colon));
}

RequestGuard::RequestGuard(TokenFile& tokens, std::string bound_host)
    : tokens_(tokens), bound_host_(std::move(bound_host)) {
  allowed_hosts_ = {"localhost", "127.0.0.1", "::1", lower(bound_host_)};
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) == 0 && name[0]) allowed_hosts_.push_back(lower(name));
}

// A DNS-rebinding page reaches us under the attacker's host name; an address typed by the
// user, or this machine's own name, is fine. Bound to every address, any IP literal is ours.
bool RequestGuard::host_allowed(const std::string& host_header) const {
  const std::string host = host_without_port(host_header);
  if (host.empty()) return false;
  if (std::find(allowed_hosts_.begin(), allowed_hosts_.end(), host) != allowed_hosts_.end())
    return true;
  const bool wildcard = bound_host_ == "0.0.0.0" || bound_host_ == "::";
  return wildcard && is_ip_literal(host);
}

// Browsers send Origin on cross-site requests: one naming another site is refused, so that
// even a cookie sent along by mistake changes nothing.
bool RequestGuard::origin_allowed(const httplib::Request& req) const {
  if (!req.has_header("Origin")) return true;
  std::string origin = req.get_header_value("Origin");
  size_t scheme = origin.find("://");
  if (scheme == std::string::npos) return false;
  return host_allowed(origin.substr(scheme + 3)) &&
         host_without_port(origin.substr(scheme + 3)) ==
             host_without_port(req.get_header_value("Host"));
}

std::string RequestGuard::presented_token(const httplib::Request& req) const {
  const std::string auth = req.get_header_value("Authorization");
  if (auth.compare(0, 7, "Bearer ") == 0) return auth.substr(7);
  if (req.has_param("token")) return req.get_param_value("token");
  return cookie_value(req.get_header_value("Cookie"), kTokenCookie);
}

void RequestGuard::slow_down_after_failure() {
  const auto now = std::chrono::steady_clock::now();
  size_t recent;
  {
    std::lock_guard lock(failures_mutex_);
    while (!failures_.empty() && now - failures_.front() > std::chrono::minutes(1))
      failures_.pop_front();
    failures_.push_back(now);
    recent = failures_.size();
  }
  if (recent > kFreeFailuresPerMinute) std::this_thread::sleep_for(std::chrono::seconds(1));
}

bool RequestGuard::admit(const httplib::Request& req, httplib::Response& res) {
  if (!host_allowed(req.get_header_value("Host"))) {
    reply_error(res, 403, "the Host header '" + req.get_header_value("Host") +
                              "' does not name this server; open it by the address it "
                              "printed (http://" + bound_host_ + ":PORT/)");
    return false;
  }
  if (!origin_allowed(req)) {
    reply_error(res, 403, "requests from another site (Origin: " +
                              req.get_header_value("Origin") + ") are refused");
    return false;
  }
  if (req.path == "/healthz") return true;  // says only "ok": for monitors without the token
  const std::string presented = presented_token(req);
  if (presented.empty() || !same_token(presented, tokens_.current())) {
    if (!presented.empty()) slow_down_after_failure();
    res.set_header("WWW-Authenticate", "Bearer");
    reply_error(res, 401,
                presented.empty()
                    ? "this server needs its access token: open the URL FlowLine printed "
                      "(…/?token=…), or send 'Authorization: Bearer TOKEN' (the token is in "
                      "the state directory's http-token file; `flowline token` prints it)"
                    : "wrong or outdated access token (it changes with `flowline token "
                      "--rotate`); `flowline token` prints the current one");
    return false;
  }
  // A page opened with ?token=: trade it for a cookie and drop it from the address bar (and
  // from the browser's history) with a redirect.
  if (req.has_param("token") && req.method == "GET" && req.path.rfind("/api/", 0) != 0 &&
      req.path != "/metrics") {
    res.set_header("Set-Cookie", token_cookie(presented));
    res.set_redirect(req.path, 303);
    return false;
  }
  return true;
}

}  // namespace flowline::http

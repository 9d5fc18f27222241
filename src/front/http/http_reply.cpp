#include "front/http/http_reply.hpp"

#include <charconv>

namespace flowline::http {

int status_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest: return 400;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kConflict: return 409;
    case ErrorKind::kUnavailable: return 503;
    case ErrorKind::kInternal: return 500;
  }
  return 500;
}

void reply_json(httplib::Response& res, const nlohmann::json& body, int status) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

void reply_ordered_json(httplib::Response& res, const nlohmann::ordered_json& body) {
  res.status = 200;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

void reply_error(httplib::Response& res, int status, const std::string& message) {
  reply_json(res, {{"error", message}}, status);
}

void reply_error(httplib::Response& res, const Error& error) {
  reply_error(res, status_of(error.kind), error.message);
}

void reply_answer(httplib::Response& res, const Result<std::string>& answer) {
  if (!answer.ok()) return reply_error(res, answer.error());
  reply_json(res, {{"ok", true}, {"message", *answer}});
}

std::optional<int64_t> path_number(const std::string& text, httplib::Response& res,
                                   const std::string& what) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) {
    reply_error(res, 404, "no " + what + " '" + text + "' (expected a number ≥ 0)");
    return std::nullopt;
  }
  return v;
}

std::optional<int64_t> number_param(const httplib::Request& req, httplib::Response& res,
                                    const std::string& name, int64_t fallback, int64_t min,
                                    int64_t max) {
  if (!req.has_param(name)) return fallback;
  const std::string text = req.get_param_value(name);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) {
    reply_error(res, 400, "query parameter " + name + ": expected a whole number from " +
                              std::to_string(min) + " to " + std::to_string(max) + ", got '" +
                              text + "'");
    return std::nullopt;
  }
  return v;
}

std::optional<nlohmann::json> json_body(const httplib::Request& req, httplib::Response& res) {
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    reply_error(res, 400, "the request body must be a JSON object, like {\"name\": \"x\"}" +
                              std::string(req.body.empty() ? " (it was empty)" : ""));
    return std::nullopt;
  }
  return body;
}

}  // namespace flowline::http

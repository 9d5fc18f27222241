#pragma once
// Answers in the shapes every route shares: JSON bodies, and errors as {"error": "..."} with
// the status their kind calls for (bad request 400, not found 404, conflict 409,
// unavailable 503, internal 500).
#include <optional>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace flowline::http {

int status_of(ErrorKind kind);
void reply_json(httplib::Response& res, const nlohmann::json& body, int status = 200);
void reply_ordered_json(httplib::Response& res, const nlohmann::ordered_json& body);
void reply_error(httplib::Response& res, int status, const std::string& message);
void reply_error(httplib::Response& res, const Error& error);

// A command's answer: {"ok": true, "message": "..."} or the error.
void reply_answer(httplib::Response& res, const Result<std::string>& answer);

// A whole number from a query parameter or a path part: nullopt (and an error reply naming
// the parameter) when it is not one in [min, max].
std::optional<int64_t> number_param(const httplib::Request& req, httplib::Response& res,
                                    const std::string& name, int64_t fallback, int64_t min,
                                    int64_t max);
std::optional<int64_t> path_number(const std::string& text, httplib::Response& res,
                                   const std::string& what);

// The request body as a JSON object; nullopt (and a 400 that says why) otherwise.
std::optional<nlohmann::json> json_body(const httplib::Request& req, httplib::Response& res);

}  // namespace flowline::http

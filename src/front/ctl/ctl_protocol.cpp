#include "front/ctl/ctl_protocol.hpp"

#include <nlohmann/json.hpp>

namespace flowline::ctl {

using nlohmann::json;

std::string encode_request(const CtlRequest& request) {
  return json{{"argv", request.argv}, {"width", request.width}, {"colour", request.colour}}.dump() +
         "\n";
}

Result<CtlRequest> decode_request(const std::string& line) {
  json doc = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("argv") || !doc["argv"].is_array())
    return Error{"ctl request: expected {\"argv\": [...]} on one line"};
  CtlRequest request;
  for (const auto& word : doc["argv"]) {
    if (!word.is_string()) return Error{"ctl request: argv must hold strings"};
    request.argv.push_back(word.get<std::string>());
  }
  if (doc.contains("width") && doc["width"].is_number_unsigned())
    request.width = doc["width"].get<size_t>();
  if (doc.contains("colour") && doc["colour"].is_boolean()) request.colour = doc["colour"];
  return request;
}

std::string encode_reply(const CtlReply& reply) {
  // Invalid UTF-8 (a log file's bytes) is replaced rather than failing the whole reply.
  return json{{"ok", reply.ok}, {"output", reply.output}}.dump(-1, ' ', false,
                                                               json::error_handler_t::replace) +
         "\n";
}

Result<CtlReply> decode_reply(const std::string& text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("ok") || !doc["ok"].is_boolean() ||
      !doc.contains("output") || !doc["output"].is_string())
    return Error{"the FlowLine instance sent a reply this client does not understand"};
  return CtlReply{doc["ok"].get<bool>(), doc["output"].get<std::string>()};
}

}  // namespace flowline::ctl

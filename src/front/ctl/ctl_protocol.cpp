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
  return json{{"ok", reply.ok}, {"bytes", reply.output.size()}}.dump() + "\n" + reply.output;
}

Result<CtlReply> decode_reply(const std::string& text) {
  const Error not_understood{"the FlowLine instance sent a reply this client does not understand"};
  const size_t head_end = text.find('\n');
  json head = json::parse(text.substr(0, head_end), nullptr, /*allow_exceptions=*/false);
  if (!head.is_object() || !head.contains("ok") || !head["ok"].is_boolean()) return not_understood;
  if (head.contains("output") && head["output"].is_string())  // the older form
    return CtlReply{head["ok"].get<bool>(), head["output"].get<std::string>()};
  if (!head.contains("bytes") || !head["bytes"].is_number_unsigned() || head_end == std::string::npos)
    return not_understood;
  std::string output = text.substr(head_end + 1);
  if (output.size() != head["bytes"].get<size_t>())
    return Error{"the FlowLine instance closed the connection in the middle of its answer"};
  return CtlReply{head["ok"].get<bool>(), std::move(output)};
}

}  // namespace flowline::ctl

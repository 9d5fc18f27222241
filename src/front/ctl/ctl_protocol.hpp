#pragma once
// The ctl wire format: one JSON request line from the client; a JSON head line and the output
// as it is (not escaped into JSON: a 38 MB `task --json` spent half its time on that), then the
// server closes. Simple enough to speak with `socat` when debugging:
//   {"argv": ["max", "4"], "width": 120, "colour": false}
//   {"ok": true, "bytes": 6}
//   max 4
#include <cstddef>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace flowline::ctl {

inline constexpr size_t kMaxRequestBytes = 64 * 1024;

struct CtlRequest {
  std::vector<std::string> argv;
  size_t width = 0;  // the client's terminal width; 0 = not a terminal
  bool colour = false;
};

struct CtlReply {
  bool ok = false;
  std::string output;
};

std::string encode_request(const CtlRequest& request);  // one line, '\n'-terminated
Result<CtlRequest> decode_request(const std::string& line);
std::string encode_reply(const CtlReply& reply);
// `text` is all the server sent. The older form, {"ok": …, "output": "…"} on one line, is read
// too, so a newer client still talks to an instance started before an upgrade.
Result<CtlReply> decode_reply(const std::string& text);

}  // namespace flowline::ctl

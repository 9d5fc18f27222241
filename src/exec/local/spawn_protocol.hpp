#pragma once
// What FlowLine's local executor asks of the supervisor server (flowline-supervise --serve):
// start one supervisor for one run. Shared by both ends; no allocation-heavy dependencies,
// since the server is a small static program.
//
// On the wire (a stream socket): a 4-byte length, then the request as NUL-terminated fields;
// the run's stdout and stderr descriptors ride along the first byte (SCM_RIGHTS). The answer is
// a SpawnReply.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flowline::spawn_protocol {

struct Request {
  std::string records;  // the runs' slot file (slot_file.hpp)
  int64_t slot = 0;     // the run's slot in it
  int64_t run_id = 0;
  std::string command;
  std::optional<int64_t> timeout_ms;
  int64_t grace_ms = 5000;
  bool durable = false;
  int64_t log_limit = 0;         // bytes per log; 0 = no cap
  std::string cwd;               // "" = the server's own
  std::vector<std::string> env;  // "KEY=value", the run's whole environment
};

struct Reply {
  int32_t error = 0;  // errno of a failed start (then pid is 0)
  int32_t pid = 0;    // the new supervisor, which has written its pid file
};

// Longest request accepted: far above any real environment, small enough to refuse garbage.
inline constexpr uint32_t kMaxRequestBytes = 64u << 20;

std::string encode(const Request& request);
std::optional<Request> decode(std::string_view bytes);

}  // namespace flowline::spawn_protocol

#include "exec/local/spawn_protocol.hpp"

#include <charconv>

namespace flowline::spawn_protocol {
namespace {

constexpr std::string_view kVersion = "flowline-spawn-3";

void put(std::string& out, std::string_view field) {
  out.append(field);
  out.push_back('\0');
}

// Splits at NULs; every field, the last included, must be terminated.
std::optional<std::vector<std::string_view>> fields_of(std::string_view bytes) {
  std::vector<std::string_view> fields;
  while (!bytes.empty()) {
    size_t end = bytes.find('\0');
    if (end == std::string_view::npos) return std::nullopt;
    fields.push_back(bytes.substr(0, end));
    bytes.remove_prefix(end + 1);
  }
  return fields;
}

std::optional<int64_t> number(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

std::string encode(const Request& r) {
  std::string out;
  put(out, kVersion);
  put(out, r.records);
  put(out, std::to_string(r.slot));
  put(out, std::to_string(r.run_id));
  put(out, r.command);
  put(out, r.timeout_ms ? std::to_string(*r.timeout_ms) : "");
  put(out, std::to_string(r.grace_ms));
  put(out, r.durable ? "1" : "0");
  put(out, r.cwd);
  put(out, std::to_string(r.log_limit));
  for (const auto& entry : r.env) put(out, entry);
  return out;
}

std::optional<Request> decode(std::string_view bytes) {
  auto fields = fields_of(bytes);
  if (!fields || fields->size() < 10 || (*fields)[0] != kVersion) return std::nullopt;
  const auto& f = *fields;
  Request r;
  r.records = f[1];
  auto slot = number(f[2]);
  auto run_id = number(f[3]);
  if (!slot || !run_id || r.records.empty()) return std::nullopt;
  r.slot = *slot;
  r.run_id = *run_id;
  r.command = f[4];
  if (!f[5].empty()) {
    r.timeout_ms = number(f[5]);
    if (!r.timeout_ms) return std::nullopt;
  }
  auto grace = number(f[6]);
  if (!grace || (f[7] != "0" && f[7] != "1")) return std::nullopt;
  r.grace_ms = *grace;
  r.durable = f[7] == "1";
  r.cwd = f[8];
  auto log_limit = number(f[9]);
  if (!log_limit) return std::nullopt;
  r.log_limit = *log_limit;
  r.env.assign(f.begin() + 10, f.end());
  return r;
}

}  // namespace flowline::spawn_protocol

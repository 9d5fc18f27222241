#include "exec/local/run_record.hpp"

#include <charconv>

namespace flowline {
namespace {

constexpr std::string_view kPrefix = "local:";

// The number before the next ':' at `pos`, moving past it.
std::optional<int64_t> take_number(const std::string& text, size_t& pos) {
  size_t colon = text.find(':', pos);
  if (colon == std::string::npos) return std::nullopt;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + colon, value);
  if (ec != std::errc{} || end != text.data() + colon) return std::nullopt;
  pos = colon + 1;
  return value;
}

}  // namespace

std::string local_handle_text(const RunRecord& record) {
  return std::string(kPrefix) + std::to_string(record.supervisor_pid) + ":" +
         std::to_string(record.session_id) + ":" + record.run_dir;
}

std::optional<RunRecord> local_record_of(int64_t run_id, const std::string& text) {
  RunRecord record;
  record.run_id = run_id;
  if (text.empty()) return record;
  if (text.compare(0, kPrefix.size(), kPrefix) != 0) return std::nullopt;
  size_t pos = kPrefix.size();
  auto pid = take_number(text, pos);
  auto session = pid ? take_number(text, pos) : std::nullopt;
  if (!session) return std::nullopt;
  record.supervisor_pid = *pid;
  record.session_id = *session;
  record.run_dir = text.substr(pos);
  return record;
}

}  // namespace flowline

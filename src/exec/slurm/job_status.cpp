#include "exec/slurm/job_status.hpp"

#include <array>
#include <vector>

namespace flowline {
namespace {

std::vector<std::string_view> split(std::string_view line, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    size_t at = line.find(sep);
    parts.push_back(line.substr(0, at));
    if (at == std::string_view::npos) return parts;
    line.remove_prefix(at + 1);
  }
}

}  // namespace

std::map<std::string, JobStatus> parse_squeue(std::string_view text) {
  std::map<std::string, JobStatus> jobs;
  for (std::string_view line : split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::vector<std::string_view> f = split(line, '|');
    if (f.size() != 4 || f[0].empty() || f[1].empty()) continue;
    JobStatus status{std::string(f[1]), std::string(f[2]), std::string(f[3])};
    if (status.node == "(null)" || status.node == "n/a") status.node.clear();
    jobs[std::string(f[0])] = std::move(status);
  }
  return jobs;
}

bool job_is_live(const std::string& state) {
  static const std::array<const char*, 11> live = {
      "PENDING",  "CONFIGURING", "RUNNING",      "COMPLETING", "SUSPENDED", "STOPPED",
      "REQUEUED", "RESIZING",    "REQUEUE_HOLD", "SIGNALING",  "STAGE_OUT"};
  for (const char* s : live)
    if (state == s) return true;
  return false;
}

}  // namespace flowline

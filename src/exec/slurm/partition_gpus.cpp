#include "exec/slurm/partition_gpus.hpp"

#include <charconv>

namespace flowline {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// One entry: "gpu:a100:2(S:0-1)" -> 2; not a GPU -> 0.
int64_t entry_count(std::string_view entry) {
  entry = trim(entry);
  if (entry.substr(0, 4) != "gpu:") return 0;
  entry = entry.substr(0, entry.find('('));
  std::string_view number = entry.substr(entry.rfind(':') + 1);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
  return ec == std::errc{} && end == number.data() + number.size() ? n : 0;
}

}  // namespace

int64_t gpu_count(std::string_view gres) {
  int64_t total = 0;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= gres.size(); ++i) {
    const char c = i < gres.size() ? gres[i] : ',';
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {  // commas inside "(IDX:0,3)" are not between entries
      total += entry_count(gres.substr(start, i - start));
      start = i + 1;
    }
  }
  return total;
}

std::vector<NodeGpus> parse_partition_gpus(std::string_view text) {
  std::vector<NodeGpus> nodes;
  while (!text.empty()) {
    std::string_view line = text.substr(0, text.find('\n'));
    text.remove_prefix(std::min(text.size(), line.size() + 1));
    std::vector<std::string_view> f;
    for (size_t at; (at = line.find('|')) != std::string_view::npos; line.remove_prefix(at + 1))
      f.push_back(trim(line.substr(0, at)));
    if (f.size() < 5 || f[0].empty()) continue;
    nodes.push_back({std::string(f[0]), std::string(f[1]), gpu_count(f[2]), gpu_count(f[3]),
                     std::string(f[4])});
  }
  return nodes;
}

}  // namespace flowline

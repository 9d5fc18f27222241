#include "front/cli/gpu_table.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "front/json/gpu_json.hpp"

namespace flowline::cli {

namespace {

constexpr const char* kUnknown = "?";

struct Column {
  const char* title;
  int priority;  // columns with the highest priority number are dropped first
  bool right;
  std::function<std::string(const GpuInfo&, const std::set<int>&)> cell;
};

template <class T>
std::string known(const std::optional<T>& value, const char* suffix = "") {
  return value ? std::to_string(*value) + suffix : std::string(kUnknown);
}

std::string watts(const std::optional<double>& value) {
  if (!value) return kUnknown;
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", *value);
  return text;
}

std::vector<Column> columns() {
  return {
      {"ID", 0, true, [](const GpuInfo& g, const auto&) { return std::to_string(g.index); }},
      {"Status", 0, false, [](const GpuInfo& g, const auto& d) { return gpu_status(g, d); }},
      {"Util", 2, true, [](const GpuInfo& g, const auto&) { return known(g.utilization, "%"); }},
      {"Free/Total MiB", 0, true,
       [](const GpuInfo& g, const auto&) {
         return known(g.free_memory_mib) + "/" + known(g.total_memory_mib);
       }},
      {"FlowLine/All", 1, true,
       [](const GpuInfo& g, const auto&) {
         if (!g.processes) return std::string(kUnknown);
         return std::to_string(g.user_process_num()) + "/" + std::to_string(g.all_process_num());
       }},
      {"Temp", 4, true, [](const GpuInfo& g, const auto&) { return known(g.temperature, "C"); }},
      {"Power/Limit W", 3, true,
       [](const GpuInfo& g, const auto&) { return watts(g.power_w) + "/" + watts(g.max_power_w); }},
      {"Name", 5, false, [](const GpuInfo& g, const auto&) { return g.name.value_or(kUnknown); }},
  };
}

std::string pad(const std::string& text, size_t width, bool right) {
  if (text.size() >= width) return text;
  std::string fill(width - text.size(), ' ');
  return right ? fill + text : text + fill;
}

}  // namespace

std::string render_gpu_table(const GpuSnapshot& snapshot, int width) {
  std::vector<Column> cols = columns();
  std::vector<std::vector<std::string>> cells(cols.size());
  std::vector<size_t> widths(cols.size());
  for (size_t c = 0; c < cols.size(); ++c) {
    widths[c] = std::string(cols[c].title).size();
    for (const GpuInfo& gpu : snapshot.gpus) {
      cells[c].push_back(cols[c].cell(gpu, snapshot.disabled));
      widths[c] = std::max(widths[c], cells[c].back().size());
    }
  }
  std::vector<bool> shown(cols.size(), true);
  auto total = [&] {
    size_t sum = 0;
    for (size_t c = 0; c < cols.size(); ++c) sum += shown[c] ? widths[c] + 2 : 0;
    return sum;
  };
  for (int priority = 5; priority > 0 && total() > static_cast<size_t>(width); --priority)
    for (size_t c = 0; c < cols.size(); ++c)
      if (cols[c].priority == priority) shown[c] = false;

  std::string out;
  if (snapshot.simulated) out += "SIMULATED GPUs (--sim-gpus): not real hardware\n";
  auto row = [&](const std::function<std::string(size_t)>& text) {
    std::string line;
    for (size_t c = 0; c < cols.size(); ++c)
      if (shown[c]) line += pad(text(c), widths[c], cols[c].right) + "  ";
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  row([&](size_t c) { return std::string(cols[c].title); });
  for (size_t r = 0; r < snapshot.gpus.size(); ++r) row([&](size_t c) { return cells[c][r]; });
  for (const GpuInfo& gpu : snapshot.gpus)
    if (gpu.error) out += "GPU " + std::to_string(gpu.index) + ": " + *gpu.error + "\n";
  return out;
}

int terminal_width() {
  struct winsize size {};
  if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col)
    return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    int value = std::atoi(columns);
    if (value > 0) return value;
  }
  return 100;
}

}  // namespace flowline::cli

// Label `gpu`: FlowLine against a real NVIDIA driver, compared with nvidia-smi. Every test
// skips itself (reported as skipped by ctest, never as passed) where no real NVML loads.
#include <gtest/gtest.h>
#include <stdio.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gpu/nvml/nvml_gpu_source.hpp"

namespace flowline {
namespace {

std::string run_command(const std::string& command, int* status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    *status = -1;
    return out;
  }
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  *status = pclose(pipe);
  return out;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  return s;
}

// Why these tests cannot run here, or "" when a real driver is present.
std::string skip_reason() {
  auto library = nvml::Library::open();
  if (!library) return "no real NVIDIA driver: " + library.error().message;
  if ((*library)->api().sim_marker)
    return "FLOWLINE_NVML_LIBRARY points at FlowLine's simulated driver, not a real one";
  int status = 0;
  run_command("nvidia-smi -L >/dev/null 2>&1", &status);
  if (status != 0) return "nvidia-smi is not available to compare with";
  return "";
}

#define SKIP_WITHOUT_REAL_DRIVER()               \
  do {                                           \
    std::string reason = skip_reason();          \
    if (!reason.empty()) GTEST_SKIP() << reason; \
  } while (0)

struct SmiGpu {
  std::string uuid, name;
  int64_t total = 0, used = 0, free = 0;
};

std::map<int, SmiGpu> nvidia_smi_gpus() {
  int status = 0;
  std::string out = run_command(
      "nvidia-smi --query-gpu=index,uuid,name,memory.total,memory.used,memory.free "
      "--format=csv,noheader,nounits",
      &status);
  std::map<int, SmiGpu> gpus;
  std::stringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> f;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ',')) f.push_back(trim(field));
    if (f.size() != 6) continue;
    gpus[std::stoi(f[0])] = {f[1], f[2], std::stoll(f[3]), std::stoll(f[4]), std::stoll(f[5])};
  }
  return gpus;
}

TEST(RealNvml, SourceReadsEveryGpu) {
  SKIP_WITHOUT_REAL_DRIVER();
  auto source = NvmlGpuSource::open();
  ASSERT_TRUE(source.ok()) << source.error().message;
  EXPECT_FALSE((*source)->simulated());
  std::printf("%s\n", (*source)->describe().c_str());
  auto gpus = (*source)->sample();
  ASSERT_TRUE(gpus.ok());
  ASSERT_FALSE(gpus->empty());
  for (const GpuInfo& g : *gpus) {
    EXPECT_FALSE(g.error) << "GPU " << g.index << ": " << g.error.value_or("");
    EXPECT_TRUE(g.name && g.uuid && g.total_memory_mib && g.free_memory_mib) << g.index;
    EXPECT_TRUE(g.processes) << "GPU " << g.index << ": process list unreadable";
    EXPECT_FALSE(g.simulated);
  }
}

TEST(RealNvml, FlowlineGpusJsonMatchesNvidiaSmi) {
  SKIP_WITHOUT_REAL_DRIVER();
  int status = 0;
  std::string out = run_command(std::string(FLOWLINE_EXE) + " gpus --json", &status);
  ASSERT_EQ(status, 0);
  auto json = nlohmann::json::parse(out, nullptr, false);
  ASSERT_TRUE(json.is_object()) << out;
  auto smi = nvidia_smi_gpus();
  ASSERT_EQ(json.size(), smi.size());
  std::printf("%-5s %-42s %-10s %-10s %-12s %-12s\n", "GPU", "uuid (flowline = nvidia-smi)",
              "total fl", "total smi", "free fl", "free smi");
  for (const auto& [index, s] : smi) {
    const auto& g = json[std::to_string(index)];
    ASSERT_TRUE(g.is_object()) << "GPU " << index << " missing from flowline gpus";
    std::printf("%-5d %-42s %-10s %-10lld %-12s %-12lld\n", index, s.uuid.c_str(),
                g["total_memory"].dump().c_str(), static_cast<long long>(s.total),
                g["free_memory"].dump().c_str(), static_cast<long long>(s.free));
    EXPECT_EQ(g["uuid"], s.uuid);
    EXPECT_EQ(g["name"], s.name);
    EXPECT_EQ(g["simulated"], false);
    EXPECT_EQ(g["status"], "available");
    EXPECT_EQ(g["total_memory"], s.total);
    // Memory moves between the two reads; a real mismatch (units, struct version) is GiBs.
    int64_t tolerance = std::max<int64_t>(256, s.total / 50);
    ASSERT_TRUE(g["free_memory"].is_number());
    EXPECT_NEAR(g["free_memory"].get<int64_t>(), s.free, tolerance);
  }
}

TEST(RealNvml, ComputeProcessesMatchNvidiaSmi) {
  SKIP_WITHOUT_REAL_DRIVER();
  int status = 0;
  auto listed = [&] {
    std::string out = run_command(
        "nvidia-smi --query-compute-apps=gpu_uuid,pid --format=csv,noheader,nounits", &status);
    std::set<std::pair<std::string, int64_t>> apps;
    std::stringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
      size_t comma = line.find(',');
      if (comma != std::string::npos)
        apps.insert({trim(line.substr(0, comma)), std::stoll(trim(line.substr(comma + 1)))});
    }
    return apps;
  };
  auto before = listed();
  auto json = nlohmann::json::parse(
      run_command(std::string(FLOWLINE_EXE) + " gpus --json", &status), nullptr, false);
  auto after = listed();
  ASSERT_TRUE(json.is_object());
  for (const auto& app : before) {
    if (!after.count(app)) continue;  // came or went meanwhile
    bool found = false;
    for (auto& [index, g] : json.items())
      if (g["uuid"] == app.first && g["processes"].is_array())
        for (const auto& p : g["processes"]) found |= p["pid"] == app.second;
    EXPECT_TRUE(found) << "pid " << app.second << " on " << app.first;
  }
}

}  // namespace
}  // namespace flowline

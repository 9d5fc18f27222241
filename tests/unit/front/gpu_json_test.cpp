#include "front/json/gpu_json.hpp"

#include <gtest/gtest.h>

#include "front/shell/listings.hpp"
#include "front/shell/text_width.hpp"

namespace flowline {
namespace {

GpuSnapshot two_gpus() {
  GpuSnapshot s;
  GpuInfo a;
  a.index = 0;
  a.name = "FlowLine Simulated GPU";
  a.uuid = "GPU-sim-x-0000";
  a.free_memory_mib = 20000;
  a.total_memory_mib = 24000;
  a.utilization = 95;
  a.temperature = 72;
  a.power_w = 240.5;
  a.max_power_w = 300;
  a.simulated = true;
  a.processes = std::vector<GpuProcess>{{42, std::string("ada"), 4000, true, std::nullopt},
                                        {43, std::nullopt, std::nullopt, false, std::nullopt}};
  GpuInfo b;
  b.index = 1;
  b.error = "GPU is lost";
  b.simulated = true;
  s.gpus = {a, b};
  s.simulated = true;
  return s;
}

TEST(GpuJson, HasExactlyTheOriginalsKeys) {
  auto json = gpus_to_json(two_gpus());
  ASSERT_EQ(json.size(), 2u);
  ASSERT_TRUE(json.contains("0"));
  std::vector<std::string> keys;
  for (auto& [key, value] : json["0"].items()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"all_process_num", "error", "free_memory", "max_power",
                                            "name", "power", "processes", "simulated", "status",
                                            "temperature", "total_memory", "user_process_num",
                                            "utilization", "uuid"}));
  const auto& g = json["0"];
  EXPECT_EQ(g["status"], "available");
  EXPECT_EQ(g["free_memory"], 20000);
  EXPECT_EQ(g["power"], 240.5);
  EXPECT_EQ(g["user_process_num"], 1);
  EXPECT_EQ(g["all_process_num"], 2);
  EXPECT_EQ(
      g["processes"][0],
      (nlohmann::json{{"pid", 42}, {"user", "ada"}, {"used_memory", 4000}, {"flowline", true}}));
  EXPECT_TRUE(g["processes"][1]["user"].is_null());
  EXPECT_TRUE(g["processes"][1]["used_memory"].is_null());
  EXPECT_TRUE(g["error"].is_null());
  EXPECT_EQ(g["simulated"], true);
}

TEST(GpuJson, GpusAreListedInIndexOrder) {
  GpuSnapshot s;
  for (int index : {10, 2, 0, 1}) {
    GpuInfo g;
    g.index = index;
    s.gpus.push_back(g);
  }
  const auto json = gpus_to_json(s);
  std::vector<std::string> keys;
  for (const auto& [key, value] : json.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"0", "1", "2", "10"}));
  EXPECT_LT(json.dump().find(R"("2":)"), json.dump().find(R"("10":)"));
}

TEST(GpuJson, UnknownIsNullAndStatusFollowsErrorThenDisabled) {
  GpuSnapshot s = two_gpus();
  s.disabled = {0, 1};
  auto json = gpus_to_json(s);
  EXPECT_EQ(json["0"]["status"], "disabled");
  const auto& lost = json["1"];
  EXPECT_EQ(lost["status"], "error");
  EXPECT_EQ(lost["error"], "GPU is lost");
  for (const char* key : {"name", "free_memory", "total_memory", "utilization", "temperature",
                          "power", "max_power", "processes", "user_process_num", "all_process_num"})
    EXPECT_TRUE(lost[key].is_null()) << key;
}

TEST(GpuTable, OneLayoutFitsTheWidthAndMarksSimulation) {
  GpuSnapshot s = two_gpus();
  auto render = [&](size_t width) {
    return shell::gpu_table_text(s.gpus, s.disabled, s.simulated, {width, false});
  };
  std::string wide = render(160);
  EXPECT_EQ(wide.rfind("SIMULATED", 0), 0u);
  EXPECT_NE(wide.find("FlowLine Simulated GPU"), std::string::npos);
  EXPECT_NE(wide.find("20000/24000"), std::string::npos);
  // The lost GPU: unknown is "-" everywhere (never 0, never "?"), its error written in full.
  EXPECT_NE(wide.find(" -/-"), std::string::npos);
  EXPECT_EQ(wide.find('?'), std::string::npos);
  EXPECT_NE(wide.find("\nGPU 1: GPU is lost\n"), std::string::npos);
  for (size_t width : {80u}) {
    std::string narrow = render(width);
    size_t start = narrow.find('\n') + 1;  // the table lines after the banner
    for (size_t end; (end = narrow.find('\n', start)) != std::string::npos; start = end + 1) {
      std::string line = narrow.substr(start, end - start);
      if (line.rfind("GPU ", 0) == 0 && line.find("lost") != std::string::npos) continue;
      EXPECT_LE(shell::display_width(line), width) << line;
      EXPECT_NE(line.back(), ' ') << line;
    }
  }
}

}  // namespace
}  // namespace flowline

// The NVML layer through FlowLine's simulated driver, loaded with dlopen like the real one.
#include "gpu/nvml/nvml_gpu_source.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "sim_fixture.hpp"

namespace flowline {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using testing::SimFixture;

class NvmlSource : public SimFixture {
 protected:
  std::unique_ptr<NvmlGpuSource> open(const char* library = FLOWLINE_SIM_NVML) {
    auto source = NvmlGpuSource::open(std::string(library));
    EXPECT_TRUE(source.ok()) << source.error().message;
    return source.ok() ? std::move(*source) : nullptr;
  }
  std::vector<GpuInfo> sample(NvmlGpuSource& source) {
    auto gpus = source.sample();
    EXPECT_TRUE(gpus.ok());
    return gpus.ok() ? *gpus : std::vector<GpuInfo>{};
  }
};

TEST_F(NvmlSource, ReadsEveryField) {
  make_gpus(2, 24000);
  change([](sim::SimState& s) {
    s.gpus[1].utilization = 40;
    s.gpus[1].temperature = 51;
    s.gpus[1].power_w = 123;
    s.gpus[1].power_limit_w = 250;
    s.foreign.push_back({getpid(), 1, 1000, sim::SimProcessKind::kCompute});
  });
  auto source = open();
  ASSERT_TRUE(source);
  EXPECT_TRUE(source->simulated());
  EXPECT_THAT(source->describe(), HasSubstr("flowline-sim-1.0"));
  EXPECT_THAT(source->describe(), HasSubstr("2 GPU(s)"));
  auto gpus = sample(*source);
  ASSERT_EQ(gpus.size(), 2u);
  const GpuInfo& g = gpus[1];
  EXPECT_EQ(g.index, 1);
  EXPECT_EQ(g.name, "FlowLine Simulated GPU");
  EXPECT_EQ(g.uuid, "GPU-sim-test-1");
  EXPECT_FALSE(g.error);
  EXPECT_EQ(g.total_memory_mib, 24000);
  EXPECT_EQ(g.free_memory_mib, 23000);
  EXPECT_EQ(g.utilization, 40);
  EXPECT_EQ(g.temperature, 51);
  EXPECT_EQ(g.power_w, 123.0);
  EXPECT_EQ(g.max_power_w, 250.0);
  EXPECT_TRUE(g.simulated);
  ASSERT_TRUE(g.processes);
  ASSERT_EQ(g.processes->size(), 1u);
  EXPECT_EQ((*g.processes)[0].pid, getpid());
  EXPECT_EQ((*g.processes)[0].used_memory_mib, 1000);
  // GPU 0 is idle: automatic metrics, and an empty (known) process list.
  EXPECT_EQ(gpus[0].free_memory_mib, 24000);
  EXPECT_EQ(gpus[0].utilization, 0);
  EXPECT_EQ(gpus[0].power_w, 60.0);  // 20% of the 300 W limit
  ASSERT_TRUE(gpus[0].processes);
  EXPECT_TRUE(gpus[0].processes->empty());
}

TEST_F(NvmlSource, V1OnlyDriverUsesEveryFallback) {
  make_gpus(2, 16000);
  change([](sim::SimState& s) {
    s.foreign.push_back({getpid(), 0, 3000, sim::SimProcessKind::kCompute});
    s.foreign.push_back({getppid(), 0, 500, sim::SimProcessKind::kGraphics});
  });
  auto source = open(FLOWLINE_SIM_NVML_V1);
  ASSERT_TRUE(source);
  const auto& missing = source->library().missing();
  for (const char* symbol :
       {"nvmlInit_v2", "nvmlDeviceGetCount_v2", "nvmlDeviceGetHandleByIndex_v2",
        "nvmlDeviceGetMemoryInfo_v2", "nvmlDeviceGetComputeRunningProcesses_v3",
        "nvmlDeviceGetComputeRunningProcesses_v2", "nvmlDeviceGetGraphicsRunningProcesses_v3",
        "nvmlDeviceGetEnforcedPowerLimit"})
    EXPECT_THAT(missing, Contains(std::string(symbol)));
  auto gpus = sample(*source);
  ASSERT_EQ(gpus.size(), 2u);
  EXPECT_EQ(gpus[0].total_memory_mib, 16000);
  EXPECT_EQ(gpus[0].free_memory_mib, 12500);
  ASSERT_TRUE(gpus[0].processes);
  ASSERT_EQ(gpus[0].processes->size(), 2u);
  EXPECT_EQ((*gpus[0].processes)[0].used_memory_mib, 3000);
  EXPECT_EQ((*gpus[0].processes)[1].pid, getppid());
  EXPECT_EQ(gpus[0].power_w, 240.0);             // present in v1
  EXPECT_EQ(gpus[0].max_power_w, std::nullopt);  // the driver lacks the symbol: unknown
}

TEST_F(NvmlSource, GrowsTheProcessBufferOnInsufficientSize) {
  make_gpus(1, 80000);
  change([](sim::SimState& s) {
    for (int i = 0; i < 150; ++i)
      s.foreign.push_back({100000 + i, 0, 10 + i, sim::SimProcessKind::kCompute});
  });
  for (const char* library : {FLOWLINE_SIM_NVML, FLOWLINE_SIM_NVML_V1}) {
    auto source = open(library);
    ASSERT_TRUE(source);
    auto gpus = sample(*source);
    ASSERT_EQ(gpus.size(), 1u);
    ASSERT_TRUE(gpus[0].processes) << library;
    ASSERT_EQ(gpus[0].processes->size(), 150u) << library;
    EXPECT_EQ((*gpus[0].processes)[149].pid, 100149);
    EXPECT_EQ((*gpus[0].processes)[149].used_memory_mib, 159);
  }
}

TEST_F(NvmlSource, NotSupportedFieldsAreUnknownNotZero) {
  make_gpus(3, 24000);
  change([](sim::SimState& s) {
    s.errors.push_back({2, "nvmlDeviceGetPowerUsage", nvml::kErrorNotSupported});
    s.errors.push_back({2, "nvmlDeviceGetTemperature", nvml::kErrorNotSupported});
    s.errors.push_back({2, "nvmlDeviceGetUtilizationRates", nvml::kErrorNotSupported});
    s.errors.push_back({2, "nvmlDeviceGetEnforcedPowerLimit", nvml::kErrorNoPermission});
    s.errors.push_back({1, "nvmlDeviceGetComputeRunningProcesses_v3", nvml::kErrorNotSupported});
    s.errors.push_back({0, "nvmlDeviceGetName", nvml::kErrorUnknown});
  });
  auto source = open();
  ASSERT_TRUE(source);
  auto gpus = sample(*source);
  ASSERT_EQ(gpus.size(), 3u);
  EXPECT_EQ(gpus[2].power_w, std::nullopt);
  EXPECT_EQ(gpus[2].temperature, std::nullopt);
  EXPECT_EQ(gpus[2].utilization, std::nullopt);
  EXPECT_EQ(gpus[2].max_power_w, std::nullopt);
  EXPECT_EQ(gpus[2].free_memory_mib, 24000);
  EXPECT_FALSE(gpus[2].error);
  EXPECT_EQ(gpus[1].processes, std::nullopt);  // unknown, not "no processes"
  EXPECT_EQ(gpus[0].name, std::nullopt);
  EXPECT_EQ(gpus[0].uuid, "GPU-sim-test-0");
  EXPECT_EQ(gpus[0].power_w, 60.0);
  EXPECT_EQ(gpus[1].temperature, 35);
}

TEST_F(NvmlSource, OneLostGpuAmongFourHidesNoOther) {
  make_gpus(4, 24000);
  auto source = open();
  ASSERT_TRUE(source);
  change([](sim::SimState& s) { s.errors.push_back({2, "*", nvml::kErrorGpuIsLost}); });
  auto gpus = sample(*source);
  ASSERT_EQ(gpus.size(), 4u);
  EXPECT_EQ(gpus[2].error, "GPU is lost");
  EXPECT_EQ(gpus[2].free_memory_mib, std::nullopt);
  EXPECT_EQ(gpus[2].processes, std::nullopt);
  for (int i : {0, 1, 3}) {
    EXPECT_FALSE(gpus[i].error) << i;
    EXPECT_EQ(gpus[i].free_memory_mib, 24000) << i;
    EXPECT_EQ(gpus[i].temperature, 35) << i;
  }
}

TEST_F(NvmlSource, GpuLostAtOpenIsErroredThenRecovers) {
  make_gpus(4, 24000);
  change([](sim::SimState& s) { s.errors.push_back({1, "*", nvml::kErrorGpuIsLost}); });
  auto source = open();
  ASSERT_TRUE(source);
  auto gpus = sample(*source);
  ASSERT_EQ(gpus.size(), 4u);
  EXPECT_EQ(gpus[1].error, "GPU is lost");
  EXPECT_EQ(gpus[3].free_memory_mib, 24000);
  change([](sim::SimState& s) { s.errors.clear(); });
  gpus = sample(*source);
  EXPECT_FALSE(gpus[1].error);
  EXPECT_EQ(gpus[1].free_memory_mib, 24000);
}

TEST_F(NvmlSource, InitFailureIsAnError) {
  make_gpus(2, 24000);
  change([](sim::SimState& s) {
    s.errors.push_back({sim::kAllGpus, "nvmlInit_v2", nvml::kErrorDriverNotLoaded});
  });
  auto source = NvmlGpuSource::open(std::string(FLOWLINE_SIM_NVML));
  ASSERT_FALSE(source.ok());
  EXPECT_THAT(source.error().message, HasSubstr("nvmlInit failed"));
  EXPECT_THAT(source.error().message, HasSubstr("Driver Not Loaded"));
}

TEST_F(NvmlSource, InitWithoutStateIsAnError) {
  unsetenv("FLOWLINE_SIM_STATE");
  auto source = NvmlGpuSource::open(std::string(FLOWLINE_SIM_NVML));
  ASSERT_FALSE(source.ok());
  EXPECT_THAT(source.error().message, HasSubstr("Driver Not Loaded"));
}

TEST_F(NvmlSource, MissingLibraryNamesThePath) {
  auto source = NvmlGpuSource::open(std::string("/nonexistent/libnvidia-ml.so.1"));
  ASSERT_FALSE(source.ok());
  EXPECT_THAT(source.error().message, HasSubstr("/nonexistent/libnvidia-ml.so.1"));
}

TEST_F(NvmlSource, RejectedV2StructFallsBackToV1) {
  make_gpus(1, 24000);
  change([](sim::SimState& s) {
    s.errors.push_back({0, "nvmlDeviceGetMemoryInfo_v2", nvml::kErrorArgumentVersionMismatch});
    s.errors.push_back(
        {0, "nvmlDeviceGetComputeRunningProcesses_v3", nvml::kErrorFunctionNotFound});
    s.foreign.push_back({getpid(), 0, 700, sim::SimProcessKind::kCompute});
  });
  auto source = open();
  ASSERT_TRUE(source);
  auto gpus = sample(*source);
  ASSERT_EQ(gpus.size(), 1u);
  EXPECT_EQ(gpus[0].free_memory_mib, 23300);
  ASSERT_TRUE(gpus[0].processes);
  EXPECT_EQ(gpus[0].processes->size(), 1u);
}

TEST_F(NvmlSource, DriverChecksTheMemoryStructVersion) {
  make_gpus(1, 24000);
  auto library = nvml::Library::open(std::string(FLOWLINE_SIM_NVML));
  ASSERT_TRUE(library.ok());
  const nvml::Api& api = (*library)->api();
  ASSERT_EQ(api.init_v2(), nvml::kSuccess);
  nvmlDevice_t device = nullptr;
  ASSERT_EQ(api.handle_v2(0, &device), nvml::kSuccess);
  nvmlMemory_v2_t memory{};
  memory.version = sizeof(nvmlMemory_v2_t) | (1u << 24);  // a caller built for another version
  EXPECT_EQ(api.memory_v2(device, &memory), nvml::kErrorArgumentVersionMismatch);
  nvmlMemory_t v1{};
  EXPECT_EQ(api.memory_v1(reinterpret_cast<nvmlDevice_t>(&v1), &v1),
            nvml::kErrorInvalidArgument);  // not a handle it gave out
  char name[8];
  EXPECT_EQ(api.name(device, name, sizeof name), nvml::kErrorInsufficientSize);
  memory.version = nvml::kNvmlMemoryV2Version;
  ASSERT_EQ(api.memory_v2(device, &memory), nvml::kSuccess);
  EXPECT_EQ(memory.total, 24000ULL * 1024 * 1024);
  unsigned int count = 0;
  EXPECT_EQ(api.compute_v3(device, &count, nullptr), nvml::kSuccess);  // no processes
  EXPECT_EQ(count, 0u);
  EXPECT_EQ(api.shutdown(), nvml::kSuccess);
  EXPECT_EQ(api.memory_v2(device, &memory), nvml::kErrorUninitialized);
}

TEST_F(NvmlSource, UnavailableProcessMemoryIsUnknown) {
  make_gpus(1, 24000);
  change([](sim::SimState& s) {
    s.foreign.push_back({getpid(), 0, -1, sim::SimProcessKind::kCompute});
  });
  auto source = open();
  ASSERT_TRUE(source);
  auto gpus = sample(*source);
  ASSERT_TRUE(gpus[0].processes);
  ASSERT_EQ(gpus[0].processes->size(), 1u);
  EXPECT_EQ((*gpus[0].processes)[0].used_memory_mib, std::nullopt);
}

TEST_F(NvmlSource, ProcessBothComputeAndGraphicsIsCountedOnce) {
  make_gpus(1, 24000);
  change([](sim::SimState& s) {
    s.foreign.push_back({getpid(), 0, 900, sim::SimProcessKind::kBoth});
    s.foreign.push_back({getppid(), 0, 100, sim::SimProcessKind::kGraphics});
  });
  auto source = open();
  ASSERT_TRUE(source);
  auto gpus = sample(*source);
  ASSERT_TRUE(gpus[0].processes);
  ASSERT_EQ(gpus[0].processes->size(), 2u);
  EXPECT_EQ((*gpus[0].processes)[0].pid, getpid());
  EXPECT_EQ((*gpus[0].processes)[0].used_memory_mib, 900);
  EXPECT_EQ(gpus[0].all_process_num(), 2);
}

TEST_F(NvmlSource, AllocationsOfExitedProcessesHoldNoMemory) {
  make_gpus(1, 24000);
  pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  change([&](sim::SimState& s) { s.allocations.push_back({getpid(), 0, 4000}); });
  // update_state drops allocations of processes that are gone; write the dead one raw.
  auto state = sim::load_state(dir_);
  ASSERT_TRUE(state.ok());
  state->allocations.push_back({child, 0, 9000});
  FILE* f = std::fopen(sim::state_file(dir_).c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(sim::format_state(*state).c_str(), f);
  std::fclose(f);
  auto source = open();
  ASSERT_TRUE(source);
  auto gpus = sample(*source);
  EXPECT_EQ(gpus[0].free_memory_mib, 20000);
  ASSERT_TRUE(gpus[0].processes);
  EXPECT_EQ(gpus[0].processes->size(), 1u);
}

// NVML has no atomic "memory and processes" call. The engine trusts that memory a run's
// process is seen holding is already missing from free memory (else it would count that
// memory neither as used nor as promised, and overcommit the GPU). So processes are read
// before memory: a process growing between the two reads can only make free memory look
// smaller. Here a process grows while the GPU is sampled over and over.
TEST_F(NvmlSource, MemoryAProcessIsSeenHoldingIsNeverStillCountedFree) {
  make_gpus(1, 24000);
  change([](sim::SimState& s) { s.foreign.push_back({getpid(), 0, 0, sim::SimProcessKind::kCompute}); });
  auto source = open();
  ASSERT_TRUE(source);
  std::atomic<bool> done{false};
  std::thread grower([&] {
    for (int64_t mib = 1; mib < 24000 && !done; ++mib) change([&](sim::SimState& s) { s.foreign[0].mib = mib; });
  });
  int samples = 0, violations = 0;
  for (; samples < 3000; ++samples) {
    auto gpus = sample(*source);
    ASSERT_EQ(gpus.size(), 1u);
    ASSERT_TRUE(gpus[0].processes && gpus[0].free_memory_mib) << gpus[0].error.value_or("");
    int64_t held = gpus[0].processes->empty() ? 0 : (*gpus[0].processes)[0].used_memory_mib.value_or(0);
    if (held > 24000 - *gpus[0].free_memory_mib) {
      ADD_FAILURE() << "sample " << samples << ": the process holds " << held << " MiB but only "
                    << 24000 - *gpus[0].free_memory_mib << " MiB are missing from free memory";
      if (++violations == 3) break;
    }
  }
  done = true;
  grower.join();
  EXPECT_EQ(violations, 0) << "of " << samples << " samples";
}

}  // namespace
}  // namespace flowline

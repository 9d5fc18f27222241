#include "gpu/sim/sim_state.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "gpu/sim/sim_job.hpp"
#include "gpu/sim/sim_setup.hpp"
#include "sim_fixture.hpp"

namespace flowline::sim {
namespace {

using ::testing::HasSubstr;

TEST(SimState, FormatAndParseRoundTrip) {
  SimState state;
  state.gpus.push_back({0, 24000, kAuto, 40, kAuto, 300, "GPU-sim-a-0000"});
  state.allocations.push_back({123, 0, 500});
  state.foreign.push_back({77, 0, -1, SimProcessKind::kBoth});
  state.errors.push_back({kAllGpus, "nvmlInit_v2", 9});
  state.errors.push_back({0, "*", 15});
  auto parsed = parse_state(format_state(state));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(format_state(*parsed), format_state(state));
  EXPECT_EQ(injected_error(*parsed, 0, "nvmlDeviceGetName"), 15);
  EXPECT_EQ(injected_error(*parsed, 3, "nvmlInit_v2"), 9);
  EXPECT_EQ(injected_error(*parsed, 3, "nvmlDeviceGetName"), 0);
}

TEST(SimState, BadLineNamesItsNumber) {
  auto parsed = parse_state("flowline-sim-state 1\ngpu 0 24000 -1 -1 -1 300 u\nalloc x 0 1\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.error().message, HasSubstr("line 3"));
  EXPECT_FALSE(parse_state("something else\n").ok());
}

TEST(SimState, AReusedPidHoldsNoMemory) {
  auto start = process_start_time(getpid());
  ASSERT_TRUE(start);
  SimState state;
  state.gpus.push_back({0, 24000, kAuto, kAuto, kAuto, 300, "u"});
  state.allocations.push_back({getpid(), 0, 100, *start});
  state.allocations.push_back({getpid(), 0, 1000, *start + 1});  // an earlier process's pid
  state.allocations.push_back({getpid(), 0, 10000, 0});          // unchecked (older format)
  EXPECT_EQ(used_mib(state, 0), 10100);
  auto parsed = parse_state("flowline-sim-state 1\nalloc 5 0 7\n");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->allocations[0].start, 0u);
}

TEST(SimSpec, ParsesCountsAndSizes) {
  auto gpus = parse_sim_spec("2x24000,1x80000");
  ASSERT_TRUE(gpus.ok());
  EXPECT_EQ(*gpus, (std::vector<int64_t>{24000, 24000, 80000}));
  for (const char* bad : {"", "4", "x24000", "4x", "0x100", "4x-1", "4x24000,", "65x1", "4X1"}) {
    auto result = parse_sim_spec(bad);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_THAT(result.error().message, HasSubstr("e.g. 4x24000 or 2x24000,1x80000"));
  }
}

class SimSetupTest : public testing::SimFixture {};

TEST_F(SimSetupTest, CreatesStateKeepsAllocationsAndSetsEnvironment) {
  std::string state = dir_ + "/nested/sim";
  auto setup = setup_sim_gpus("2x24000", state, std::string(FLOWLINE_SIM_NVML));
  ASSERT_TRUE(setup.ok()) << setup.error().message;
  EXPECT_EQ(std::string(getenv("FLOWLINE_NVML_LIBRARY")), FLOWLINE_SIM_NVML);
  EXPECT_EQ(std::string(getenv("FLOWLINE_SIM_STATE")), setup->state_dir);
  Status held = update_state(setup->state_dir, [](SimState& s) {
    s.allocations.push_back({getpid(), 1, 100});
    return ok_status();
  });
  ASSERT_TRUE(held.ok());
  auto again = setup_sim_gpus("3x8000", state, std::string(FLOWLINE_SIM_NVML));
  ASSERT_TRUE(again.ok());
  auto loaded = load_state(again->state_dir);
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->gpus.size(), 3u);
  EXPECT_EQ(loaded->gpus[2].total_mib, 8000);
  EXPECT_EQ(loaded->allocations.size(), 1u);
  EXPECT_EQ(used_mib(*loaded, 1), 100);
  unsetenv("FLOWLINE_NVML_LIBRARY");
}

TEST(TorchOom, MatchesPyTorchsMessage) {
  std::string text = torch_oom_message(8000, 0, 24000, 4000, {{4242, 20000}});
  EXPECT_EQ(text.rfind("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 7.81 GiB. "
                       "GPU 0 has a total capacity of 23.44 GiB of which 3.91 GiB is free. "
                       "Process 4242 has 19.53 GiB memory in use. Including non-PyTorch memory",
                       0),
            0u);
  EXPECT_THAT(torch_oom_message(20, 1, 100, 10, {}),
              HasSubstr("Tried to allocate 20.00 MiB. GPU 1 has a total capacity of 100.00 MiB "
                        "of which 10.00 MiB is free."));
}

}  // namespace
}  // namespace flowline::sim

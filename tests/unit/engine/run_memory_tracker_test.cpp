#include "engine/run_memory_tracker.hpp"

#include <gtest/gtest.h>

namespace flowline {
namespace {

GpuInfo gpu(int index, std::vector<GpuProcess> processes) {
  GpuInfo g;
  g.index = index;
  g.total_memory_mib = 16000;
  g.processes = std::move(processes);
  return g;
}

GpuProcess process(int64_t pid, int64_t session, int64_t mib, std::string user = "me") {
  GpuProcess p;
  p.pid = pid;
  p.session = session;
  p.used_memory_mib = mib;
  p.user = std::move(user);
  p.name = "python";
  return p;
}

TEST(RunMemoryTracker, APeakIsTheBusiestGpuAndOthersAreWhoElseHeldMemory) {
  RunMemoryTracker tracker;
  tracker.start(7, {0, 1});
  const std::map<int64_t, int64_t> sessions{{700, 7}};
  // Two processes of run 7 on GPU 0 (its session), one on GPU 1; a stranger on GPU 1; a
  // process on GPU 2, which is not the run's.
  tracker.observe(1000,
                  {gpu(0, {process(1, 700, 3000), process(2, 700, 2000)}),
                   gpu(1, {process(3, 700, 4000), process(9, 900, 8000, "alice")}),
                   gpu(2, {process(11, 900, 1000, "bob")})},
                  sessions);
  EXPECT_EQ(tracker.peak_mib(7), 5000);
  tracker.observe(2000, {gpu(0, {process(1, 700, 1000)}), gpu(1, {})}, sessions);
  RunMemory m = tracker.finish(7);
  EXPECT_EQ(m.peak_mib, 5000) << "the peak is kept when use falls";
  EXPECT_TRUE(m.sampled);
  EXPECT_TRUE(m.others.empty()) << "the last sample is the one that counts";
  EXPECT_FALSE(tracker.peak_mib(7).has_value()) << "finish() forgets the run";
}

TEST(RunMemoryTracker, ARunNeverSeenOnItsGpusIsNotSampled) {
  RunMemoryTracker tracker;
  tracker.start(1, {0});
  tracker.start(2, {});  // CPU-only
  GpuInfo unlisted;
  unlisted.index = 0;  // NVML could not list its processes
  tracker.observe(1000, {unlisted}, {});
  EXPECT_FALSE(tracker.finish(1).sampled);
  EXPECT_FALSE(tracker.finish(2).sampled);
}

}  // namespace
}  // namespace flowline

#include "gpu/sampler.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>

namespace flowline {
namespace {

// An in-process fake: counts samples, reports our own process on GPU 0.
class FakeSource final : public GpuSource {
 public:
  explicit FakeSource(int gpus) : gpus_(gpus) {}
  Result<std::vector<GpuInfo>> sample() override {
    if (fail_) return Error{"driver gone"};
    std::vector<GpuInfo> out;
    for (int i = 0; i < gpus_; ++i) {
      GpuInfo g;
      g.index = i;
      g.total_memory_mib = 1000;
      g.free_memory_mib = 1000 - (++calls_ % 100);
      g.utilization = i;
      g.processes = std::vector<GpuProcess>{};
      if (i == 0) g.processes->push_back({getpid(), std::nullopt, 10, false, std::nullopt});
      out.push_back(g);
    }
    return out;
  }
  bool simulated() const override { return true; }
  std::string describe() const override { return "fake"; }
  bool fail_ = false;

 private:
  int gpus_;
  int calls_ = 0;
};

TEST(Sampler, SampleNowAddsOwnerAndHistory) {
  FakeClock clock;
  Sampler sampler(std::make_unique<FakeSource>(2), clock);
  auto snapshot = sampler.sample_now();
  ASSERT_EQ(snapshot->gpus.size(), 2u);
  EXPECT_TRUE(snapshot->simulated);
  EXPECT_EQ(snapshot->time_ms, clock.now_ms());
  const GpuProcess& me = (*snapshot->gpus[0].processes)[0];
  ASSERT_TRUE(me.user);
  EXPECT_FALSE(me.user->empty());
  EXPECT_FALSE(me.flowline);  // no FLOWLINE_RUN_ID in a test's environment
  clock.advance(1000);
  sampler.sample_now();
  auto history = sampler.history(1);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].time_ms - history[0].time_ms, 1000);
  EXPECT_EQ(history[0].util(), 1);
  EXPECT_EQ(sampler.latest()->time_ms, clock.now_ms());
}

TEST(Sampler, SessionsDecideWhatIsFlowLines) {
  FakeClock clock;
  Sampler sampler(std::make_unique<FakeSource>(1), clock);
  sampler.set_flowline_sessions({getsid(0)});
  auto snapshot = sampler.sample_now();
  EXPECT_TRUE((*snapshot->gpus[0].processes)[0].flowline);
  EXPECT_EQ(snapshot->gpus[0].user_process_num(), 1);
  sampler.set_flowline_sessions({});
  snapshot = sampler.sample_now();
  EXPECT_FALSE((*snapshot->gpus[0].processes)[0].flowline);
}

TEST(Sampler, EnabledGpusFromTheCommandLine) {
  FakeClock clock;
  SamplerOptions options;
  options.enabled_only = std::set<int>{0, 2};
  Sampler sampler(std::make_unique<FakeSource>(4), clock, options);
  auto snapshot = sampler.sample_now();
  EXPECT_EQ(snapshot->disabled, (std::set<int>{1, 3}));
  EXPECT_EQ(sampler.disabled(), (std::set<int>{1, 3}));
  EXPECT_EQ(sampler.sample_now()->disabled, (std::set<int>{1, 3}));  // applied once, kept
}

TEST(Sampler, HistoryKeepsTheLatestPoints) {
  FakeClock clock;
  SamplerOptions options;
  options.history_capacity = 5;
  Sampler sampler(std::make_unique<FakeSource>(1), clock, options);
  for (int i = 0; i < 12; ++i) {
    sampler.sample_now();
    clock.advance(1000);
  }
  auto history = sampler.history(0);
  ASSERT_EQ(history.size(), 5u);
  EXPECT_EQ(history.back().time_ms, clock.now_ms() - 1000);
  EXPECT_EQ(history.front().time_ms, clock.now_ms() - 5000);
  EXPECT_TRUE(sampler.history(7).empty());
}

TEST(Sampler, DefaultHistoryHoldsAnHourAtOneHertz) {
  SamplerOptions options;
  EXPECT_EQ(options.interval, std::chrono::milliseconds(1000));
  EXPECT_GE(options.history_capacity, 3600u);
}

TEST(Sampler, SourceFailureIsReportedNotThrown) {
  FakeClock clock;
  auto source = std::make_unique<FakeSource>(1);
  FakeSource* fake = source.get();
  Sampler sampler(std::move(source), clock);
  fake->fail_ = true;
  auto snapshot = sampler.sample_now();
  EXPECT_EQ(snapshot->error, "driver gone");
  EXPECT_TRUE(snapshot->gpus.empty());
}

TEST(Sampler, ThreadNotifiesTheListenerAndStops) {
  FakeClock clock;
  SamplerOptions options;
  options.interval = std::chrono::milliseconds(5);
  Sampler sampler(std::make_unique<FakeSource>(1), clock, options);
  std::mutex mutex;
  std::condition_variable seen;
  int samples = 0;
  sampler.set_listener([&](const GpuSnapshot&) {
    std::lock_guard lock(mutex);
    ++samples;
    seen.notify_all();
  });
  sampler.start();
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(seen.wait_for(lock, std::chrono::seconds(10), [&] { return samples >= 3; }));
  }
  sampler.stop();
  std::lock_guard lock(mutex);
  int after_stop = samples;
  EXPECT_EQ(sampler.history(0).size(), static_cast<size_t>(after_stop));
}

TEST(Sampler, StopDoesNotWaitForTheInterval) {
  FakeClock clock;
  SamplerOptions options;
  options.interval = std::chrono::hours(1);  // a sleep-then-check loop would hang here
  Sampler sampler(std::make_unique<FakeSource>(1), clock, options);
  sampler.start();
  sampler.stop();
  EXPECT_GE(sampler.history(0).size(), 0u);
}

TEST(ParseGpuList, AcceptsIndicesAndRejectsTheRest) {
  auto gpus = parse_gpu_list("0,2,3");
  ASSERT_TRUE(gpus.ok());
  EXPECT_EQ(*gpus, (std::set<int>{0, 2, 3}));
  for (const char* bad : {"", "0,", "a", "1,-2", "0;1"}) {
    auto result = parse_gpu_list(bad);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_NE(result.error().message.find("0,2,3"), std::string::npos);
  }
}

}  // namespace
}  // namespace flowline

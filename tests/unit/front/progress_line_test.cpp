#include "front/cli/progress_line.hpp"

#include <gtest/gtest.h>

namespace flowline::cli {
namespace {

EngineSnapshot snapshot(int64_t done, int64_t done_at_start, int64_t total, Millis elapsed) {
  EngineSnapshot s;
  s.started_ms = 1000;
  s.taken_ms = 1000 + elapsed;
  s.counts.runs_done = done;
  s.counts.runs_done_at_start = done_at_start;
  s.counts.runs_total = total;
  s.counts.running = 2;
  return s;
}

TEST(ProgressLine, EtaComesFromThisSessionsRateOnly) {
  // 90 runs were done before this start; 5 more in 10 s here; 5 left: about 10 s more.
  std::string line = progress_line(snapshot(95, 90, 100, 10'000));
  EXPECT_NE(line.find("95/100 runs done"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 10s"), std::string::npos) << line;
}

// 2 runs at once of a typical 60 s, 10 runs left, the 2 live ones 30 s in: 8 × 60 s + 2 × 30 s
// of work for 2 slots is 4m30s.
EngineSnapshot steady() {
  EngineSnapshot s = snapshot(20, 0, 30, 600'000);
  s.typical_run_ms = 60'000;
  for (int64_t id : {21, 22}) {
    RunView run;
    run.run_id = id;
    run.started_ms = s.taken_ms - 30'000;
    s.runs.push_back(run);
  }
  return s;
}

TEST(ProgressLine, EtaIsTheWorkLeftOverTheRunsGoingAtOnce) {
  EXPECT_EQ(eta_ms(steady()), 270'000);
  EXPECT_NE(progress_line(steady()).find("ETA 4m30s"), std::string::npos);
}

// Dispatch stopped for an hour (or runs killed, their time lost) is not slowness: the ETA
// after it is what it was before. (It was elapsed × left / done: 3.1 times longer here.)
TEST(ProgressLine, EtaDoesNotSwingWithTimeSpentStoppedOrOnKilledRuns) {
  EngineSnapshot later = steady();
  later.started_ms -= 3'600'000;
  EXPECT_EQ(eta_ms(later), eta_ms(steady()));
  // `max` raised from 2 to 4: the ETA follows at once, not as completions trickle in.
  EngineSnapshot wider = steady();
  for (int64_t id : {23, 24}) {
    RunView run;
    run.run_id = id;
    run.started_ms = wider.taken_ms;
    wider.runs.push_back(run);
  }
  EXPECT_EQ(eta_ms(wider), (6 * 60'000 + 2 * 30'000 + 2 * 60'000) / 4);
}

TEST(ProgressLine, NoEtaBeforeTheFirstRunOfThisSessionEnds) {
  std::string line = progress_line(snapshot(90, 90, 100, 10'000));
  EXPECT_EQ(line.find("ETA"), std::string::npos) << line;
}

TEST(ProgressLine, DurationsReadLikeAPersonWouldWriteThem) {
  EXPECT_EQ(format_duration(59'000), "59s");
  EXPECT_EQ(format_duration(61'000), "1m1s");
  EXPECT_EQ(format_duration(3'720'000), "1h2m");
}

}  // namespace
}  // namespace flowline::cli

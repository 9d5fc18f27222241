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

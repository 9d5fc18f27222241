// The table mirror coalesces bursts of run_num changes and paces itself by what a write costs,
// so a large table never takes most of the engine's time.
#include "engine/table_mirror.hpp"

#include <gtest/gtest.h>

namespace flowline {
namespace {

struct Fixture {
  FakeClock clock;
  Millis write_cost = 0;  // how long each write "takes" on the fake clock
  int writes = 0;
  std::vector<RunNumUpdate> last;
  TableMirror mirror{[this](const std::vector<RunNumUpdate>& updates) -> Result<bool> {
                       ++writes;
                       last = updates;
                       clock.advance(write_cost);
                       return true;
                     },
                     200, clock};
};

TEST(TableMirror, ABurstOfChangesBecomesOneWriteAfterTheCoalescingPeriod) {
  Fixture f;
  const Millis start = f.clock.now_ms();
  f.mirror.set_run_num(3, 1, start);
  f.mirror.set_run_num(5, 2, start + 50);
  f.mirror.set_run_num(3, 2, start + 60);  // the latest value of a row wins
  ASSERT_TRUE(f.mirror.flush(start + 199).ok());
  EXPECT_EQ(f.writes, 0);
  EXPECT_EQ(f.mirror.next_flush(), start + 200);
  ASSERT_TRUE(f.mirror.flush(start + 200).ok());
  ASSERT_EQ(f.writes, 1);
  ASSERT_EQ(f.last.size(), 2u);
  EXPECT_EQ(f.last[0].task_id, 3);
  EXPECT_EQ(f.last[0].run_num, 2);
  EXPECT_EQ(f.last[1].task_id, 5);
  EXPECT_FALSE(f.mirror.next_flush());  // nothing pending
}

TEST(TableMirror, AWriteThatTookLongDelaysTheNextByNineTimesItsCost) {
  Fixture f;
  f.write_cost = 120;  // a 20,000-row XLSX
  f.mirror.set_run_num(1, 1, f.clock.now_ms());
  f.clock.advance(200);
  ASSERT_TRUE(f.mirror.flush(f.clock.now_ms()).ok());
  ASSERT_EQ(f.writes, 1);
  const Millis written = f.clock.now_ms();  // the write took 120 ms of it
  // A change right after the write waits 9 × 120 ms, not just the coalescing period.
  f.mirror.set_run_num(2, 1, written);
  EXPECT_EQ(f.mirror.next_flush(), written + 9 * 120);
  ASSERT_TRUE(f.mirror.flush(written + 200).ok());
  EXPECT_EQ(f.writes, 1);
  ASSERT_TRUE(f.mirror.flush(written + 9 * 120).ok());
  EXPECT_EQ(f.writes, 2);
}

TEST(TableMirror, AForcedFlushWritesAtOnce) {
  Fixture f;
  f.write_cost = 500;
  Millis now = f.clock.now_ms();
  f.mirror.set_run_num(1, 1, now);
  ASSERT_TRUE(f.mirror.flush(now, /*force=*/true).ok());
  f.mirror.set_run_num(1, 2, f.clock.now_ms());
  ASSERT_TRUE(f.mirror.flush(f.clock.now_ms(), /*force=*/true).ok());  // at the end of a run
  EXPECT_EQ(f.writes, 2);
}

TEST(TableMirror, AFailedWriteKeepsItsChangesForTheNextFlush) {
  FakeClock clock;
  int calls = 0;
  TableMirror mirror(
      [&](const std::vector<RunNumUpdate>&) -> Result<bool> {
        if (++calls == 1) return Error{"disk full"};
        return true;
      },
      200, clock);
  mirror.set_run_num(1, 1, clock.now_ms());
  EXPECT_FALSE(mirror.flush(clock.now_ms(), true).ok());
  ASSERT_TRUE(mirror.next_flush().has_value());
  EXPECT_TRUE(mirror.flush(clock.now_ms(), true).ok());
  EXPECT_FALSE(mirror.next_flush().has_value());
}

// The file was saved since the version the rows come from: the writer says "not now", and the
// changes wait, without an error, for the flush after the new version is applied.
TEST(TableMirror, AWriteRefusedAsStaleIsKeptWithoutAnError) {
  FakeClock clock;
  int calls = 0;
  TableMirror mirror([&](const std::vector<RunNumUpdate>&) -> Result<bool> { return ++calls > 1; },
                     200, clock);
  mirror.set_run_num(4, 1, clock.now_ms());
  EXPECT_TRUE(mirror.flush(clock.now_ms(), true).ok());
  EXPECT_TRUE(mirror.has_pending());
  EXPECT_TRUE(mirror.flush(clock.now_ms(), true).ok());
  EXPECT_FALSE(mirror.has_pending());
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace flowline

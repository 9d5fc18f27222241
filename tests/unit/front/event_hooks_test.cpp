// `--on-event` hooks with a real /bin/sh: which events are told and as what JSON, failing and
// hung hooks reported (and stopped: SIGTERM, then SIGKILL), a full queue dropping its oldest,
// the engine's listener never waiting for a hook, and a bounded drain at exit.
#include "front/events/event_hooks.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "fakes/fake_engine.hpp"
#include "support/temp_dir.hpp"

namespace flowline::events {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

EngineEvent event(EventKind kind, uint64_t seq, std::string text = "something happened") {
  EngineEvent e;
  e.kind = kind;
  e.seq = seq;
  e.time_ms = 1'700'000'000'000 + static_cast<Millis>(seq);
  e.text = std::move(text);
  return e;
}

// Polls `condition` every few milliseconds up to `limit`; true as soon as it holds.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds limit = 20s) {
  const auto end = Clock::now() + limit;
  while (!condition()) {
    if (Clock::now() >= end) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

class EventHooksTest : public ::testing::Test {
 protected:
  // A hook that appends each event's line to events.jsonl.
  std::string appender() const { return "cat >> '" + dir_.file("events.jsonl") + "'"; }

  HookOptions options(const std::string& program) const {
    HookOptions o;
    o.program = program;
    o.table = "/data/todo.csv";
    o.drain_limit = 30s;  // the tests that drain wait for every hook: never the bound here
    return o;
  }
  void start(HookOptions o) {
    hooks_ = std::make_unique<EventHooks>(engine_, std::move(o), [this](const std::string& l) {
      std::lock_guard lock(mutex_);
      reports_.push_back(l);
    });
  }
  // Destroys the hooks: every event still queued is told first (within drain_limit).
  void drain() { hooks_.reset(); }

  std::vector<std::string> reports() {
    std::lock_guard lock(mutex_);
    return reports_;
  }
  std::string all_reports() {
    std::string all;
    for (const auto& r : reports()) all += r + "\n";
    return all;
  }
  std::vector<nlohmann::json> told() const {
    std::vector<nlohmann::json> out;
    std::ifstream in(dir_.file("events.jsonl"));
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
  }
  std::vector<uint64_t> told_seqs() const {
    std::vector<uint64_t> seqs;
    for (const auto& j : told()) seqs.push_back(j["seq"].get<uint64_t>());
    return seqs;
  }
  bool exists(const std::string& name) const { return std::filesystem::exists(dir_.file(name)); }
  std::string read(const std::string& name) const {
    std::ifstream in(dir_.file(name));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  flowline::testing::TempDir dir_;
  flowline::testing::FakeEngine engine_;
  std::mutex mutex_;
  std::vector<std::string> reports_;
  std::unique_ptr<EventHooks> hooks_;
};

TEST_F(EventHooksTest, TellsOnlyTheChosenKindsOneLineEachInOrder) {
  HookOptions o = options(appender());
  o.kinds = {EventKind::kRunFinished, EventKind::kAllDone};
  start(std::move(o));
  engine_.post_event(event(EventKind::kRunStarted, 1));
  engine_.post_event(event(EventKind::kRunFinished, 2));
  engine_.post_event(event(EventKind::kRunFailed, 3));
  engine_.post_event(event(EventKind::kGpuSample, 4));
  engine_.post_event(event(EventKind::kRunFinished, 5));
  engine_.post_event(event(EventKind::kAllDone, 6));
  drain();
  EXPECT_THAT(told_seqs(), ElementsAre(2u, 5u, 6u));
  EXPECT_EQ(told().back()["kind"], "all_done");
  EXPECT_THAT(reports(), IsEmpty());
}

TEST_F(EventHooksTest, ByDefaultTellsFailuresOomLostRunsAndTheEnd) {
  start(options(appender()));
  for (int k = 0; k <= static_cast<int>(kLastEventKind); ++k)
    engine_.post_event(event(static_cast<EventKind>(k), static_cast<uint64_t>(k) + 1));
  drain();
  std::vector<std::string> kinds;
  for (const auto& j : told()) kinds.push_back(j["kind"]);
  EXPECT_THAT(kinds, ElementsAre("failed", "oom", "lost", "all_done"));
}

TEST_F(EventHooksTest, EachLineIsTheEventsJsonWithTheTable) {
  start(options(appender()));
  EngineEvent e = event(EventKind::kRunFailed, 12, "run 7 of task 3 (lr=0.1) failed: exit 3");
  e.task_id = 3;
  e.run_id = 7;
  e.task_name = "lr=0.1";
  engine_.post_event(e);
  engine_.post_event(event(EventKind::kAllDone, 13, "every task has finished"));
  drain();
  std::vector<nlohmann::json> lines = told();
  ASSERT_EQ(lines.size(), 2u);
  const nlohmann::json& failed = lines[0];
  EXPECT_EQ(failed["seq"], 12);
  EXPECT_EQ(failed["kind"], "failed");
  EXPECT_EQ(failed["time_ms"], e.time_ms);
  EXPECT_EQ(failed["task_id"], 3);
  EXPECT_EQ(failed["run_id"], 7);
  EXPECT_EQ(failed["task_name"], "lr=0.1");
  EXPECT_EQ(failed["text"], "run 7 of task 3 (lr=0.1) failed: exit 3");
  EXPECT_EQ(failed["table"], "/data/todo.csv");
  EXPECT_FALSE(failed.contains("dropped_before"));  // only when some were
  const nlohmann::json& done = lines[1];
  EXPECT_FALSE(done.contains("task_id"));
  EXPECT_FALSE(done.contains("task_name"));
  EXPECT_EQ(done["text"], "every task has finished");
}

TEST_F(EventHooksTest, AFailingHookIsReportedWithItsStatusAndFirstStderrLineAndOthersGoOn) {
  // Fails for the event whose text says so; appends the others.
  start(
      options("read line; case \"$line\" in *fail-me*) echo 'boom: no route to host' >&2; "
              "echo 'second line' >&2; exit 3;; esac; echo \"$line\" >> '" +
              dir_.file("events.jsonl") + "'"));
  engine_.post_event(event(EventKind::kRunFailed, 1, "fail-me"));
  engine_.post_event(event(EventKind::kRunFailed, 2, "a run failed"));
  drain();
  EXPECT_THAT(told_seqs(), ElementsAre(2u));
  ASSERT_EQ(reports().size(), 1u) << all_reports();
  EXPECT_THAT(reports()[0], HasSubstr("event 1 (failed)"));
  EXPECT_THAT(reports()[0], HasSubstr("exited with status 3: boom: no route to host"));
  EXPECT_THAT(reports()[0], Not(HasSubstr("second line")));
}

TEST_F(EventHooksTest, AProgramThatIsNotThereIsReported) {
  start(options("no-such-program-flowline-hook-test"));
  engine_.post_event(event(EventKind::kAllDone, 1));
  drain();
  ASSERT_EQ(reports().size(), 1u) << all_reports();
  EXPECT_THAT(reports()[0], HasSubstr("exited with status 127"));
  EXPECT_THAT(reports()[0], HasSubstr("not found"));
}

// A hook that does not read its stdin costs it an EPIPE; FlowLine (this test) lives on.
TEST_F(EventHooksTest, AHookThatIgnoresItsInputIsNoFailure) {
  start(options("exit 0"));
  for (uint64_t seq = 1; seq <= 20; ++seq) engine_.post_event(event(EventKind::kRunFailed, seq));
  drain();
  EXPECT_THAT(reports(), IsEmpty());
}

TEST_F(EventHooksTest, AHookPastItsTimeLimitGetsSigtermAndIsReported) {
  HookOptions o = options("trap 'echo TERM >> \"" + dir_.file("signals") +
                          "\"; exit 0' TERM; cat > /dev/null; sleep 30");
  o.time_limit = 300ms;
  o.kill_grace = 20s;  // it ends on SIGTERM, long before
  start(std::move(o));
  const auto started = Clock::now();
  engine_.post_event(event(EventKind::kRunFailed, 1));
  drain();
  EXPECT_LT(Clock::now() - started, 10s);
  EXPECT_EQ(read("signals"), "TERM\n");
  ASSERT_EQ(reports().size(), 1u) << all_reports();
  EXPECT_THAT(reports()[0], HasSubstr("took longer than 0.3 s and was stopped"));
}

TEST_F(EventHooksTest, AHookThatIgnoresSigtermIsKilledWithEverythingItStarted) {
  // What it starts in the background (pid written for the check below) is in its group.
  HookOptions o =
      options("trap '' TERM; sleep 30 & echo $! > '" + dir_.file("child") + "'; sleep 30");
  o.time_limit = 300ms;
  o.kill_grace = 300ms;
  start(std::move(o));
  const auto started = Clock::now();
  engine_.post_event(event(EventKind::kRunFailed, 1));
  drain();
  EXPECT_LT(Clock::now() - started, 10s);
  ASSERT_EQ(reports().size(), 1u) << all_reports();
  EXPECT_THAT(reports()[0], HasSubstr("took longer than 0.3 s and was stopped"));
  EXPECT_THAT(reports()[0], HasSubstr("(no stderr)"));
  const std::string child = read("child");
  ASSERT_FALSE(child.empty());
  // Gone, or a zombie left for init to reap (which a container's init may never do).
  EXPECT_TRUE(wait_until([&] {
    std::ifstream stat("/proc/" + std::to_string(std::stoi(child)) + "/stat");
    std::string pid, comm, state;
    return !(stat >> pid >> comm >> state) || state == "Z";
  })) << "the hook's background child is still running";
}

TEST_F(EventHooksTest, WhenTheQueueIsFullTheOldestAreDroppedAndTheNextHookIsToldHowMany) {
  // The first hook holds until the gate opens, so that events pile up behind it.
  HookOptions o =
      options(appender() + "; : > '" + dir_.file("started") + "'; i=0; while [ ! -e '" +
              dir_.file("gate") + "' ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done");
  o.capacity = 3;
  o.time_limit = 60s;
  start(std::move(o));
  engine_.post_event(event(EventKind::kRunFailed, 1));
  ASSERT_TRUE(wait_until([&] { return exists("started"); }));
  for (uint64_t seq = 2; seq <= 10; ++seq) engine_.post_event(event(EventKind::kRunFailed, seq));
  std::ofstream(dir_.file("gate")).close();
  drain();
  EXPECT_THAT(told_seqs(), ElementsAre(1u, 8u, 9u, 10u));
  std::vector<nlohmann::json> lines = told();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1]["dropped_before"], 6);
  EXPECT_FALSE(lines[2].contains("dropped_before"));
  EXPECT_FALSE(lines[3].contains("dropped_before"));
  ASSERT_EQ(reports().size(), 1u) << all_reports();  // once, with the count
  EXPECT_THAT(reports()[0], HasSubstr("6 events dropped before event 8 (failed)"));
}

// The engine's loop calls the listener: it must return at once even while a hook is slow.
// A correctness bound (well under the hook's 2 s), not a benchmark.
TEST_F(EventHooksTest, TheEnginesListenerNeverWaitsForASlowHook) {
  HookOptions o = options(": > '" + dir_.file("started") + "'; sleep 2");
  o.drain_limit = 100ms;  // not the subject here: do not wait for every sleeping hook
  start(std::move(o));
  engine_.post_event(event(EventKind::kRunFailed, 1));
  ASSERT_TRUE(wait_until([&] { return exists("started"); }));
  for (uint64_t seq = 2; seq <= 5; ++seq) {
    const auto before = Clock::now();
    engine_.post_event(event(EventKind::kRunFailed, seq));
    EXPECT_LT(Clock::now() - before, 200ms) << "post of event " << seq;
  }
}

TEST_F(EventHooksTest, AtExitWaitingEventsGetABoundedDrainThenTheHookIsStopped) {
  HookOptions o = options(": > '" + dir_.file("started") + "'; sleep 30");
  o.drain_limit = 300ms;
  o.kill_grace = 300ms;
  start(std::move(o));
  for (uint64_t seq = 1; seq <= 3; ++seq) engine_.post_event(event(EventKind::kRunFailed, seq));
  ASSERT_TRUE(wait_until([&] { return exists("started"); }));
  const auto stopping = Clock::now();
  drain();
  EXPECT_LT(Clock::now() - stopping, 5s);
  const std::string said = all_reports();
  EXPECT_THAT(said, HasSubstr("failed for event 1 (failed): was stopped: FlowLine is exiting"));
  EXPECT_THAT(said, HasSubstr("2 events were not told: FlowLine is exiting"));
}

TEST_F(EventHooksTest, StopsListeningWhenDestroyed) {
  start(options(appender()));
  EXPECT_EQ(engine_.listener_count(), 1u);
  drain();
  EXPECT_EQ(engine_.listener_count(), 0u);
}

}  // namespace
}  // namespace flowline::events

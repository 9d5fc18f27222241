// --on-event, --on-event-kinds and --on-event-timeout as `flowline run` and `serve` parse them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "front/cli/run_options.hpp"

namespace flowline::cli {
namespace {

using ::testing::HasSubstr;

TEST(OnEventOptions, TakesTheProgramTheKindsAndTheTimeLimit) {
  auto parsed = parse_run_options({"t.csv", "--on-event", "cat >> events.jsonl", "--on-event-kinds",
                                   "finished, failed,all_done", "--on-event-timeout=2.5"},
                                  "run");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->on_event, "cat >> events.jsonl");
  EXPECT_EQ(
      parsed->on_event_kinds,
      (std::set<EventKind>{EventKind::kRunFinished, EventKind::kRunFailed, EventKind::kAllDone}));
  EXPECT_EQ(parsed->on_event_timeout_ms, 2500);
}

TEST(OnEventOptions, WithoutKindsTheDefaultIsLeftToTheHooks) {
  auto parsed = parse_run_options({"t.csv", "--on-event", "mail me"}, "serve");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_FALSE(parsed->on_event_kinds.has_value());
  EXPECT_FALSE(parsed->on_event_timeout_ms.has_value());
  auto none = parse_run_options({"t.csv"}, "run");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->on_event.has_value());
}

TEST(OnEventOptions, AnUnknownKindNamesItselfAndEveryKnownKind) {
  auto bad =
      parse_run_options({"t.csv", "--on-event", "x", "--on-event-kinds", "failed,fail"}, "run");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message,
              HasSubstr("--on-event-kinds: unknown event kind 'fail' (known: started, finished, "
                        "failed, oom, requeued, lost, task_added, task_changed, task_dropped, "
                        "gpu_sample, setting, all_done, notice)"));
  auto empty =
      parse_run_options({"t.csv", "--on-event", "x", "--on-event-kinds", "failed,,oom"}, "run");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.error().message, HasSubstr("expected event kinds separated by commas"));
}

TEST(OnEventOptions, KindsOrTimeoutWithoutAProgramAreRefused) {
  auto kinds = parse_run_options({"t.csv", "--on-event-kinds", "failed"}, "run");
  ASSERT_FALSE(kinds.ok());
  EXPECT_THAT(kinds.error().message, HasSubstr("--on-event-kinds needs --on-event PROGRAM"));
  auto timeout = parse_run_options({"t.csv", "--on-event-timeout", "3"}, "serve");
  ASSERT_FALSE(timeout.ok());
  EXPECT_THAT(timeout.error().message, HasSubstr("--on-event-timeout needs --on-event PROGRAM"));
}

TEST(OnEventOptions, AnEmptyProgramOrABadTimeoutIsRefused) {
  auto blank = parse_run_options({"t.csv", "--on-event", "  "}, "run");
  ASSERT_FALSE(blank.ok());
  EXPECT_THAT(blank.error().message, HasSubstr("--on-event: expected a program to run"));
  auto zero = parse_run_options({"t.csv", "--on-event", "x", "--on-event-timeout", "0"}, "run");
  ASSERT_FALSE(zero.ok());
  EXPECT_THAT(zero.error().message, HasSubstr("--on-event-timeout: expected seconds > 0"));
  auto missing = parse_run_options({"t.csv", "--on-event"}, "run");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("--on-event: needs a value"));
}

TEST(OnEventOptions, HelpOfRunAndServeListsThem) {
  for (const char* command : {"run", "serve"}) {
    const std::string help = run_options_help(command);
    EXPECT_THAT(help, HasSubstr("--on-event PROG")) << command;
    EXPECT_THAT(help, HasSubstr("--on-event-kinds")) << command;
    EXPECT_THAT(help, HasSubstr("default failed,oom,lost,all_done")) << command;
    EXPECT_THAT(help, HasSubstr("--on-event-timeout")) << command;
  }
}

}  // namespace
}  // namespace flowline::cli

// The shell's commands against a fake engine: what a user sees, and that a refused command
// changes nothing.
#include "front/shell/command_interpreter.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fakes/fake_engine.hpp"
#include "front/shell/command_spec.hpp"
#include "front/shell/text_width.hpp"

namespace flowline::shell {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class InterpreterTest : public ::testing::Test {
 protected:
  CommandOutcome run(const std::string& line, size_t width = 0) {
    return interpreter_.execute_line(line, Presentation{width, false});
  }
  nlohmann::json json_of(const std::string& line) {
    CommandOutcome out = run(line);
    EXPECT_TRUE(out.ok) << out.text;
    return nlohmann::json::parse(out.text);
  }
  // Everything a command could change, to check a refused command changed nothing.
  std::string state() {
    auto s = engine_.snapshot();
    std::ostringstream o;
    o << s->settings.dispatching << s->settings.max_running << s->settings.default_min_mem_mib
      << s->order << s->runs.size();
    for (int g : s->settings.disabled_gpus) o << "g" << g;
    for (const auto& t : s->tasks) o << task_state_name(t.state);
    return o.str();
  }

  testing::FakeEngine engine_;
  CommandInterpreter interpreter_{engine_, Surface::kShell};
};

TEST_F(InterpreterTest, RunTogglesDispatchAndAcceptsOnOff) {
  EXPECT_TRUE(run("run").ok);
  EXPECT_TRUE(engine_.snapshot()->settings.dispatching);
  EXPECT_EQ(run("run").text, "dispatch stopped\n");
  EXPECT_FALSE(engine_.snapshot()->settings.dispatching);
  EXPECT_TRUE(run("run on").ok);
  EXPECT_TRUE(engine_.snapshot()->settings.dispatching);
}

TEST_F(InterpreterTest, GpuTogglesAndKillgpuStopsOnlyThatGpusRuns) {
  EXPECT_EQ(run("gpu 1").text, "GPU 1 disabled\n");
  EXPECT_EQ(engine_.snapshot()->settings.disabled_gpus.count(1), 1u);
  EXPECT_TRUE(run("gpu 1").ok);
  EXPECT_TRUE(engine_.snapshot()->settings.disabled_gpus.empty());
  EXPECT_TRUE(run("killgpu 0").ok);
  auto runs = engine_.snapshot()->runs;
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].run_id, 4);
}

TEST_F(InterpreterTest, KillStopsTheRunAndUnknownIdIsRefused) {
  EXPECT_TRUE(run("kill 3").ok);
  EXPECT_EQ(engine_.snapshot()->runs.size(), 1u);
  CommandOutcome out = run("kill 3");
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.text, "no run 3\n");
}

TEST_F(InterpreterTest, MaxMinOrderChangeSettings) {
  EXPECT_TRUE(run("max 2").ok);
  EXPECT_TRUE(run("min 20000").ok);
  EXPECT_TRUE(run("order utilization asc, index").ok);
  auto s = engine_.snapshot();
  EXPECT_EQ(s->settings.max_running, 2);
  EXPECT_EQ(s->settings.default_min_mem_mib, 20000);
  EXPECT_EQ(s->order, "utilization asc, index");
}

TEST_F(InterpreterTest, DropAndRetryChangeTaskState) {
  EXPECT_TRUE(run("drop 1").ok);
  EXPECT_EQ(engine_.snapshot()->tasks[1].state, TaskState::kDropped);
  EXPECT_TRUE(run("retry 2").ok);
  EXPECT_EQ(engine_.snapshot()->tasks[2].state, TaskState::kQueued);
  EXPECT_FALSE(run("drop 99").ok);
}

// The engine's refusals are neutral (an HTTP client sees them too); the shell adds, for an
// id that does not exist, the listing that shows the ids.
TEST_F(InterpreterTest, UnknownIdsGetTheShellsHintAndOtherRefusalsDoNot) {
  const std::string before = state();
  EXPECT_EQ(run("drop 99").text, "no task 99 (see `task`)\n");
  EXPECT_EQ(run("retry 99").text, "no task 99 (see `task`)\n");
  EXPECT_EQ(run("copy 99").text, "no task 99 (see `task`)\n");
  EXPECT_EQ(run("gpu 7").text, "no GPU 7 (see `gpus`)\n");
  EXPECT_EQ(run("killgpu 7").text, "no GPU 7 (see `gpus`)\n");
  CommandOutcome queued = run("retry 1");  // a conflict, not an unknown id: no hint
  EXPECT_FALSE(queued.ok);
  EXPECT_EQ(queued.text, "task 1 is queued, not failed or dropped\n");
  EXPECT_EQ(run("order bogus").text, "order: unknown key 'bogus'\n");
  EXPECT_EQ(state(), before);
}

TEST_F(InterpreterTest, BadArgumentsPrintTheRightFormAndChangeNothing) {
  const std::string before = state();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"kill abc", "usage: kill <run id>  (run ids: see ls)\n"},
      {"kill", "usage: kill <run id>  (run ids: see ls)\n"},
      {"kill 3 4", "usage: kill <run id>  (run ids: see ls)\n"},
      {"gpu -1", "usage: gpu <gpu id>  (GPU ids: see gpus)\n"},
      {"killgpu x", "usage: killgpu <gpu id>  (GPU ids: see gpus)\n"},
      {"max 0", "usage: max <n>  (n ≥ 1: runs at once); now 4\n"},
      {"max 2.5", "usage: max <n>  (n ≥ 1: runs at once); now 4\n"},
      {"min lots", "usage: min <MiB>|auto  (free memory a GPU needs, e.g. min 10000); now 10000\n"},
      {"order",
       "usage: order <keys>  (e.g. order free_memory desc, utilization asc); now "
       "default\n"},
      {"drop one", "usage: drop <task id>  (task ids: see task)\n"},
      {"retry", "usage: retry <task id>  (task ids: see task)\n"},
      {"run maybe", "usage: run [on|off]\n"},
      {"ls -l", "usage: ls [--json]\n"},
      {"gpus all", "usage: gpus [--json]\n"},
      {"task 1", "usage: task [--json]\n"},
      {"logs", "usage: logs <run id> [-f]  (run ids: see ls)\n"},
      {"logs 3 -x", "usage: logs <run id> [-f]  (run ids: see ls)\n"},
      {"stop now", "usage: stop [--leave-runs]\n"},
      {"exit 1", "usage: exit\n"},
      {"frobnicate", "unknown command 'frobnicate' (type `help` for the list)\n"},
  };
  for (const auto& [line, expected] : cases) {
    CommandOutcome out = run(line);
    EXPECT_FALSE(out.ok) << line;
    EXPECT_EQ(out.text, expected) << line;
    EXPECT_EQ(out.follow_up, FollowUp::kNone) << line;
  }
  EXPECT_EQ(state(), before);
  EXPECT_FALSE(engine_.stop_mode().has_value());
}

TEST_F(InterpreterTest, EngineRefusalIsPassedOnAndChangesNothing) {
  const std::string before = state();
  CommandOutcome out = run("order bogus desc");
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.text, "order: unknown key 'bogus'\n");
  EXPECT_EQ(state(), before);
}

TEST_F(InterpreterTest, LsShowsEveryRunWithElapsedPeakMemoryAndPid) {
  std::string text = run("ls").text;
  EXPECT_THAT(text, StartsWith("RUN  TASK  NAME    GPUS  ELAPSED  PEAK MiB   PID  COMMAND\n"));
  EXPECT_THAT(text, HasSubstr("  3     0  lr=0.1  0        2m0s      9120  4003  python train.py "
                              "--lr 0.1\n"));
  EXPECT_THAT(text, HasSubstr("  4     0  lr=0.1  1        2m0s         -  4004"))
      << "a run not measured yet";
  EXPECT_THAT(text, HasSubstr("4003"));
  engine_.edit([](EngineSnapshot& s) { s.runs.clear(); });
  EXPECT_EQ(run("ls").text, "no runs are running\n");
}

TEST_F(InterpreterTest, LsWrapsTheCommandToFitTheWidth) {
  const std::string command =
      "python train.py --data /datasets/imagenet100/train --model resnet18 --lr 0.1 --seed 3";
  engine_.edit([&](EngineSnapshot& s) { s.runs[0].command = command; });
  std::string text = run("ls", 80).text;
  // As the original did: the whole command, continued under its own column, never cut.
  const size_t column = text.find("COMMAND");
  std::istringstream lines(text);
  std::string joined;
  bool in_run_3 = false;
  for (std::string line; std::getline(lines, line);) {
    EXPECT_LE(display_width(line), 80u) << line;
    EXPECT_NE(line.back(), ' ') << line;
    if (line.rfind("  3 ", 0) == 0)
      in_run_3 = true;
    else if (line[0] != ' ' || line.rfind("  4 ", 0) == 0)
      in_run_3 = false;
    if (in_run_3) joined += (joined.empty() ? "" : " ") + line.substr(column);
    if (in_run_3 && line.rfind("  3 ", 0) != 0)
      EXPECT_EQ(line.substr(0, column), std::string(column, ' '));
  }
  EXPECT_EQ(joined, command);
  EXPECT_GT(std::count(text.begin(), text.end(), '\n'), 3);
  EXPECT_THAT(text, Not(HasSubstr("…")));
  // Without a width (a pipe), nothing is cut.
  EXPECT_THAT(run("ls").text, HasSubstr(command + "\n"));
}

TEST_F(InterpreterTest, LsJsonHasStableKeys) {
  nlohmann::json runs = json_of("ls --json");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0]["run_id"], 3);
  EXPECT_EQ(runs[0]["task_id"], 0);
  EXPECT_EQ(runs[0]["gpus"], nlohmann::json::array({0}));
  EXPECT_EQ(runs[0]["elapsed_s"], 120);
  EXPECT_EQ(runs[0]["session_id"], 4003);
  EXPECT_EQ(runs[0]["command"], "python train.py --lr 0.1");
  for (const char* key : {"name", "started_ms", "out_path", "err_path"})
    EXPECT_TRUE(runs[0].contains(key)) << key;
}

TEST_F(InterpreterTest, GpusShowsUnknownAsDashNeverZero) {
  engine_.edit([](EngineSnapshot& s) { s.settings.disabled_gpus = {1}; });
  std::string text = run("gpus").text;
  EXPECT_THAT(text,
              HasSubstr("GPU  STATUS     UTIL  FREE/TOTAL MiB  OURS/ALL  TEMP  POWER W  NAME\n"));
  EXPECT_THAT(
      text,
      HasSubstr("  0  available   45%     30000/40960       1/2   61C  180/400  NVIDIA A100\n"));
  // GPU 1: no temperature, power or process list known.
  EXPECT_THAT(
      text,
      HasSubstr("  1  disabled     0%     40000/40960         -     -      -/-  NVIDIA A100\n"));
  EXPECT_THAT(text, Not(HasSubstr("simulated")));
}

TEST_F(InterpreterTest, GpusLabelsSimulatedAndErrors) {
  engine_.edit([](EngineSnapshot& s) {
    s.simulated = true;
    s.gpus[1] = GpuInfo{};
    s.gpus[1].index = 1;
    s.gpus[1].error = "NVML: GPU is lost";
  });
  std::string text = run("gpus").text;
  EXPECT_THAT(text, StartsWith("SIMULATED GPUs (--sim-gpus): not real hardware\n"));
  EXPECT_THAT(text, HasSubstr("  1  error"));
  EXPECT_THAT(text, HasSubstr("\nGPU 1: NVML: GPU is lost\n"));
  nlohmann::json gpus = json_of("gpus --json");
  EXPECT_EQ(gpus["1"]["status"], "error");
  EXPECT_EQ(gpus["1"]["error"], "NVML: GPU is lost");
  EXPECT_EQ(gpus["0"]["simulated"], true);
}

// The same object as `flowline gpus --json` and GET /api/gpus: keyed by index, the original's
// key names, null for what NVML could not tell.
TEST_F(InterpreterTest, GpusJsonUsesNullForUnknown) {
  nlohmann::json gpus = json_of("gpus --json");
  ASSERT_EQ(gpus.size(), 2u);
  ASSERT_TRUE(gpus.is_object());
  EXPECT_EQ(gpus["0"]["status"], "available");
  EXPECT_EQ(gpus["0"]["free_memory"], 30000);
  EXPECT_EQ(gpus["0"]["user_process_num"], 1);
  EXPECT_EQ(gpus["0"]["all_process_num"], 2);
  EXPECT_EQ(gpus["0"]["processes"].size(), 2u);
  EXPECT_TRUE(gpus["1"]["temperature"].is_null());
  EXPECT_TRUE(gpus["1"]["power"].is_null());
  EXPECT_TRUE(gpus["1"]["all_process_num"].is_null());
  EXPECT_EQ(gpus["1"]["utilization"], 0);  // a known zero stays zero
}

// `gpu <id>` switches a GPU off in the engine; the JSON says so (not only the text table).
TEST_F(InterpreterTest, GpusJsonShowsAGpuSwitchedOffInTheShell) {
  ASSERT_EQ(run("gpu 0").text, "GPU 0 disabled\n");
  EXPECT_EQ(json_of("gpus --json")["0"]["status"], "disabled");
  ASSERT_EQ(run("gpu 0").text, "GPU 0 enabled\n");
  EXPECT_EQ(json_of("gpus --json")["0"]["status"], "available");
}

TEST_F(InterpreterTest, TaskListsStateRunsPriorityAndWhy) {
  std::string text = run("task").text;
  EXPECT_THAT(text, StartsWith("ID  NAME      STATE    RUNS  PRIO     MEM MiB  NOTE\n"));
  EXPECT_THAT(text, HasSubstr(" 0  lr=0.1    running   0/2     0  9120/10000"));
  EXPECT_THAT(text, HasSubstr(" 1  lr=0.01   queued    0/1     0     -/10000  waiting for a GPU "
                              "with 10000"));
  EXPECT_THAT(text, HasSubstr(" 2  lr=0.001  failed    1/3     0     -/10000  exit status 1"));
  nlohmann::json tasks = json_of("task --json");
  ASSERT_EQ(tasks.size(), 3u);
  EXPECT_EQ(tasks[2]["state"], "failed");
  EXPECT_EQ(tasks[2]["run_num"], 1);
  EXPECT_EQ(tasks[2]["need_run_num"], 3);
  EXPECT_EQ(tasks[2]["last_error"], "exit status 1");
  EXPECT_TRUE(tasks[0]["min_mem"].is_null());
  for (const char* key : {"id", "name", "priority", "gpus", "live_runs", "failures", "waiting_for"})
    EXPECT_TRUE(tasks[0].contains(key)) << key;
}

TEST_F(InterpreterTest, StatusShowsDispatchLimitsAndUptime) {
  engine_.edit([](EngineSnapshot& s) { s.order = "index"; });
  std::string text = run("status").text;
  EXPECT_THAT(text, HasSubstr("dispatch:  off (type `run` to start)\n"));
  EXPECT_THAT(text, HasSubstr("max:       4 runs at once\n"));
  EXPECT_THAT(text, HasSubstr("min:       10000 MiB free per GPU\n"));
  EXPECT_THAT(text, HasSubstr("order:     index\n"));
  EXPECT_THAT(text, HasSubstr("uptime:    2m5s\n"));
  nlohmann::json s = json_of("status --json");
  EXPECT_EQ(s["dispatching"], false);
  EXPECT_EQ(s["max_running"], 4);
  EXPECT_EQ(s["min_mem_mib"], 10000);
  EXPECT_EQ(s["uptime_s"], 125);
  EXPECT_EQ(s["counts"]["runs_total"], 6);
  EXPECT_EQ(s["disabled_gpus"], nlohmann::json::array());
}

TEST_F(InterpreterTest, ColourOnlyWhenAsked) {
  EXPECT_THAT(run("task").text, Not(HasSubstr("\033[")));
  std::string coloured = interpreter_.execute_line("task", Presentation{0, true}).text;
  EXPECT_THAT(coloured, HasSubstr("\033[31mfailed"));
}

TEST_F(InterpreterTest, HelpListsEveryCommandAndExplainsOne) {
  std::string text = run("help").text;
  for (const auto& spec : command_specs()) EXPECT_THAT(text, HasSubstr(spec.name));
  EXPECT_EQ(run("?").text, text);
  std::string ls = run("help ls").text;
  EXPECT_THAT(ls, StartsWith("usage: ls [--json]\n"));
  EXPECT_THAT(ls, HasSubstr("run_id"));
  EXPECT_FALSE(run("help nothing").ok);
}

TEST_F(InterpreterTest, ExitAsksInTheShellButIsRefusedOverCtl) {
  EXPECT_EQ(run("exit").follow_up, FollowUp::kAskExit);
  CommandInterpreter ctl(engine_, Surface::kCtl);
  CommandOutcome out = ctl.execute({"exit"}, {});
  EXPECT_FALSE(out.ok);
  EXPECT_THAT(out.text, HasSubstr("use `stop`"));
  EXPECT_FALSE(engine_.stop_mode().has_value());
}

TEST_F(InterpreterTest, StopAsksTheEngineToStopWithTheChosenMode) {
  EXPECT_EQ(run("stop --leave-runs").follow_up, FollowUp::kStopped);
  EXPECT_EQ(engine_.stop_mode(), StopMode::kLeaveRuns);
  EXPECT_TRUE(run("stop").ok);
  EXPECT_EQ(engine_.stop_mode(), StopMode::kStopRuns);
}

TEST_F(InterpreterTest, EmptyLineDoesNothing) {
  CommandOutcome out = run("   ");
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(out.text, "");
}

class LogsTest : public InterpreterTest {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/flowline-logs-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::ofstream(dir_ + "/3.out") << "epoch 1\nepoch 2\n";
    std::string many;
    for (int i = 1; i <= 30; ++i) many += "warn " + std::to_string(i) + "\n";
    std::ofstream(dir_ + "/3.err") << many;
    engine_.edit([&](EngineSnapshot& s) {
      s.runs[0].out_path = dir_ + "/3.out";
      s.runs[0].err_path = dir_ + "/3.err";
    });
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string dir_;
};

TEST_F(LogsTest, PrintsTheTailOfBothFiles) {
  CommandOutcome out = run("logs 3");
  ASSERT_TRUE(out.ok);
  EXPECT_THAT(out.text, HasSubstr("==> " + dir_ + "/3.out <==\nepoch 1\nepoch 2\n"));
  EXPECT_THAT(out.text, HasSubstr("==> " + dir_ + "/3.err <==\nwarn 11\n"));
  EXPECT_THAT(out.text, Not(HasSubstr("warn 10\n")));
  EXPECT_THAT(out.text, HasSubstr("warn 30\n"));
  EXPECT_EQ(out.follow_up, FollowUp::kNone);
}

TEST_F(LogsTest, FollowIsForTheShellOnly) {
  CommandOutcome out = run("logs 3 -f");
  EXPECT_EQ(out.follow_up, FollowUp::kFollowLogs);
  ASSERT_TRUE(out.run.has_value());
  EXPECT_EQ(out.run->run_id, 3);
  CommandInterpreter ctl(engine_, Surface::kCtl);
  CommandOutcome refused = ctl.execute({"logs", "3", "-f"}, {});
  EXPECT_FALSE(refused.ok);
  EXPECT_THAT(refused.text, HasSubstr("tail -f"));
}

TEST_F(LogsTest, UnknownRunAndMissingFileAreSaidPlainly) {
  EXPECT_THAT(run("logs 9").text, StartsWith("no run 9 (run ids: see ls, or the log directory"));
  EXPECT_THAT(run("logs 4").text, HasSubstr("/nonexistent/run4.out <==\n(nothing written yet)\n"));
}

// At 80 columns no help text may leave a word for the terminal to break.
TEST_F(InterpreterTest, HelpFitsTheWidthWithoutBreakingWords) {
  for (const char* line : {"help", "help logs", "help reload", "help exit", "help order"}) {
    const std::string wide = run(line).text, narrow = run(line, 80).text;
    std::istringstream lines(narrow);
    for (std::string l; std::getline(lines, l);) EXPECT_LE(display_width(l), 80u) << l;
    std::istringstream words(wide);
    for (std::string w; words >> w;) EXPECT_NE(narrow.find(w), std::string::npos) << w;
  }
}

// The original's `logs` knew only live runs; the output of one that failed is what is wanted.
TEST_F(LogsTest, AnEndedRunIsFoundInTheLogDirectory) {
  std::ofstream(dir_ + "/7-实验 s0.out") << "loss 0.3\n";
  std::ofstream(dir_ + "/7-实验 s0.err") << "Traceback: boom\n";
  std::ofstream(dir_ + "/77-other.out") << "not this one\n";
  engine_.edit([&](EngineSnapshot& s) { s.log_dir = dir_; });
  CommandOutcome out = run("logs 7");
  ASSERT_TRUE(out.ok) << out.text;
  EXPECT_EQ(out.text, "==> " + dir_ + "/7-实验 s0.out <==\nloss 0.3\n==> " + dir_ +
                          "/7-实验 s0.err <==\nTraceback: boom\n");
  CommandOutcome follow = run("logs 7 -f");
  EXPECT_EQ(follow.follow_up, FollowUp::kNone);
  EXPECT_THAT(follow.text, HasSubstr("run 7 has ended"));
}

}  // namespace
}  // namespace flowline::shell

// --cmd-builder with real /bin/sh programs: the exact JSON a builder reads, the command it
// prints, and each way it can fail.
#include "engine/program_command_builder.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include "support/temp_dir.hpp"

namespace flowline {
namespace {

using flowline::testing::TempDir;

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Task sample_task() {
  Task t;
  t.id = 2;
  t.name = "vit-s1";
  t.run_num = 1;
  t.need_run_num = 2;
  t.cmd = "python -u train.py";
  t.gpus = 2;
  t.min_mem = 12000;
  t.priority = 3;
  t.timeout_ms = 90000;
  t.params = {{"model", "vit_s"}, {"lr", "0.001"}, {"note", ""}};
  return t;
}

struct ProgramBuilderTest : ::testing::Test {
  TempDir dir;
  Result<std::string> build(const std::string& program, const Task& task = sample_task(),
                            std::vector<int> gpus = {3, 1}, int64_t timeout_ms = 10000) {
    ProgramBuilderOptions o;
    o.program = program;
    o.work_dir = dir.path();
    o.columns = {"name", "model", "lr", "note", "need_run_num", "cmd"};
    o.timeout_ms = timeout_ms;
    ProgramCommandBuilder builder(o);
    return builder.build(task, gpus, 2);
  }
};

TEST_F(ProgramBuilderTest, ReadsTheTaskRowAndPlacementAsJson) {
  Result<std::string> command = build("cat > request.json; echo 'python train.py --built'");
  ASSERT_TRUE(command) << command.error().message;
  EXPECT_EQ(*command, "python train.py --built");
  // Exactly these keys in this order, with these values and types.
  nlohmann::ordered_json expected = nlohmann::ordered_json::parse(R"({
    "task_id": 2, "name": "vit-s1", "run_num": 1, "need_run_num": 2,
    "cmd": "python -u train.py", "gpus": 2, "min_mem": 12000, "priority": 3, "timeout": 90,
    "params": {"model": "vit_s", "lr": "0.001", "note": ""},
    "row": {"name": "vit-s1", "model": "vit_s", "lr": "0.001", "note": "",
            "need_run_num": "2", "cmd": "python -u train.py", "run_num": "1", "gpus": "2",
            "min_mem": "12000", "priority": "3", "timeout": "90"},
    "gpu_ids": [3, 1], "gpu": 3, "run": 2})");
  std::string sent = read_text(dir.file("request.json"));
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(sent.back(), '\n');
  EXPECT_EQ(sent.find('\n'), sent.size() - 1) << "one line: " << sent;
  EXPECT_EQ(nlohmann::ordered_json::parse(sent), expected) << sent;
}

TEST_F(ProgramBuilderTest, CpuOnlyTaskHasNoGpuAndBlankLimitsAreNull) {
  Task t = sample_task();
  t.gpus = 0;
  t.min_mem.reset();
  t.timeout_ms = 1500;
  ASSERT_TRUE(build("cat > request.json; echo true", t, {}));
  auto sent = nlohmann::json::parse(read_text(dir.file("request.json")));
  EXPECT_TRUE(sent["gpu"].is_null());
  EXPECT_EQ(sent["gpu_ids"], nlohmann::json::array());
  EXPECT_TRUE(sent["min_mem"].is_null());
  EXPECT_EQ(sent["row"]["min_mem"], "");
  EXPECT_EQ(sent["timeout"], 1.5);
  EXPECT_EQ(sent["row"]["timeout"], "1.5");
}

TEST_F(ProgramBuilderTest, InvalidUtf8InTheTableIsReplacedNotRefused) {
  Task t = sample_task();
  t.params = {{"path", "caf\xe9"}};
  ASSERT_TRUE(build("cat > request.json; echo true", t));
  auto sent = nlohmann::json::parse(read_text(dir.file("request.json")));
  EXPECT_EQ(sent["params"]["path"], "caf\xef\xbf\xbd");
}

TEST_F(ProgramBuilderTest, RunsInTheWorkDirectoryAndStripsTrailingNewlines) {
  Result<std::string> command = build("printf 'cd %s && make\\n\\n' \"$(pwd -P)\"");
  ASSERT_TRUE(command) << command.error().message;
  char real[PATH_MAX];
  ASSERT_NE(realpath(dir.path().c_str(), real), nullptr);
  EXPECT_EQ(*command, "cd " + std::string(real) + " && make");
}

TEST_F(ProgramBuilderTest, AMultiLineCommandIsRefused) {
  // Its stdout is one command (README): steps are joined with && or ;, not lines, so that a
  // stray print can never become part of a command.
  Result<std::string> command = build("printf 'set -e\\npython a.py\\r\\n'");
  ASSERT_FALSE(command);
  EXPECT_NE(command.error().message.find("printed 2 lines on stdout"), std::string::npos)
      << command.error().message;
}

TEST_F(ProgramBuilderTest, NonZeroExitFailsWithItsStatusAndStderr) {
  Result<std::string> command =
      build("echo 'python x.py'; echo 'no recipe for vit-s1' >&2; echo 'see docs' >&2; exit 3");
  ASSERT_FALSE(command);
  EXPECT_EQ(command.error().message,
            "the command builder 'echo 'python x.py'; echo 'no recipe for vit-s1' >&2; echo 's…' "
            "exited with status 3: no recipe for vit-s1 | see docs");
}

TEST_F(ProgramBuilderTest, EmptyOutputIsAnError) {
  Result<std::string> command = build("cat >/dev/null; echo '  '; echo 'nothing to do' >&2");
  ASSERT_FALSE(command);
  EXPECT_NE(command.error().message.find("printed no command on stdout: nothing to do"),
            std::string::npos)
      << command.error().message;
}

TEST_F(ProgramBuilderTest, MoreThanOneLineIsRefusedAndShown) {
  // The original's README example: func() printed sorted_gpu_ids before returning the command.
  Result<std::string> command =
      build("cat >/dev/null; echo '[3, 1]'; echo 'python -u train.py --lr 0.1'");
  ASSERT_FALSE(command);
  EXPECT_EQ(command.error().message,
            "the command builder 'cat >/dev/null; echo '[3, 1]'; echo 'python -u train.py --lr"
            "…' printed 2 lines on stdout, but its stdout must be exactly one command: '[3, 1]' | "
            "'python -u train.py --lr 0.1'; print anything else to stderr (Python: print(..., "
            "file=sys.stderr))");
}

TEST_F(ProgramBuilderTest, BlankLinesAndTheLineEndAreNotPartOfTheCommand) {
  Result<std::string> command = build("cat >/dev/null; printf '\\n  \\npython t.py\\r\\n\\n'");
  ASSERT_TRUE(command) << command.error().message;
  EXPECT_EQ(*command, "python t.py");
}

TEST_F(ProgramBuilderTest, DeathBySignalIsNamed) {
  Result<std::string> command = build("kill -KILL $$");
  ASSERT_FALSE(command);
  EXPECT_NE(command.error().message.find("was killed by SIGKILL (no stderr)"), std::string::npos)
      << command.error().message;
}

TEST_F(ProgramBuilderTest, AHungBuilderTimesOut) {
  Result<std::string> command =
      build("echo 'waiting for a lock' >&2; sleep 60", sample_task(), {0}, 200);
  ASSERT_FALSE(command);
  EXPECT_NE(command.error().message.find("gave no answer within 0.2 s and was killed: waiting "
                                         "for a lock"),
            std::string::npos)
      << command.error().message;
}

TEST_F(ProgramBuilderTest, AProgramThatCannotBeFoundFailsLikeAnyShellError) {
  Result<std::string> command = build("/nonexistent/builder.py");
  ASSERT_FALSE(command);
  EXPECT_NE(command.error().message.find("exited with status 127"), std::string::npos)
      << command.error().message;
  EXPECT_NE(command.error().message.find("/nonexistent/builder.py"), std::string::npos);
}

}  // namespace
}  // namespace flowline

// Settings a user changes at run time (max, min, order, GPUs on/off, dispatch) survive a
// restart, through the real binary and `flowline ctl` (issue 11, step 5); an option given on
// the command line wins and says so; a saved value that no longer fits is set aside, said.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "integration/support/process.hpp"
#include "store/sqlite_store.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Holds until the file `gate` appears (at most a minute), so that a batch keeps running.
constexpr const char* kWork = R"SH(#!/bin/sh
: > started
i=0
while [ ! -e gate ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done
)SH";

class SavedSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_.file("work.sh"), kWork);
    write_file(dir_.file("todo.csv"), "name,gpus\nhold,0\n");
  }
  void TearDown() override {
    write_file(dir_.file("gate"), "");
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      wait_for(pid_);
    }
  }

  // `flowline run todo.csv --batch` on two simulated GPUs (or `sim`), with `extra`; returns
  // once ctl shows the task: the snapshot published at the end of recovery, which also
  // applies the saved settings (ctl answers before that, from an empty snapshot).
  void start(const std::vector<std::string>& extra, const std::string& sim = "2x24000") {
    log_ = "flowline-" + std::to_string(++starts_) + ".log";
    std::vector<std::string> args = {"run",       "todo.csv",   "--batch",
                                     "--cmd",     "sh work.sh", "--state-dir",
                                     state_dir(), "--sim-gpus", sim};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = spawn_flowline(args, dir_.path(), log_);
    ASSERT_GT(pid_, 0);
    ASSERT_TRUE(wait_until([&] {
      Outcome o = ctl({"status", "--json"});
      if (o.exit_code != 0) return false;
      const nlohmann::json counts = nlohmann::json::parse(o.out)["counts"];
      return counts["queued"].get<int>() + counts["running"].get<int>() > 0;
    })) << output();
  }
  // `flowline ctl stop`, and waits for the instance to end.
  void stop() {
    Outcome o = ctl({"stop"});
    ASSERT_EQ(o.exit_code, 0) << o.err;
    wait_for(pid_);
    pid_ = -1;
  }
  void set(const std::vector<std::string>& command) {
    Outcome o = ctl(command);
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_THAT(o.out, Not(HasSubstr("not saved"))) << o.out;
  }
  Outcome ctl(std::vector<std::string> argv) {
    argv.insert(argv.begin(), {"ctl", "--state-dir", state_dir()});
    return run_flowline(argv, dir_.path());
  }
  nlohmann::json status() {
    Outcome o = ctl({"status", "--json"});
    EXPECT_EQ(o.exit_code, 0) << o.err;
    return nlohmann::json::parse(o.out);
  }
  std::string state_dir() const { return dir_.file("state"); }
  std::string output() const { return read_file(dir_.file(log_)); }

  TempDir dir_;
  int pid_ = -1;
  int starts_ = 0;
  std::string log_;
};

TEST_F(SavedSettingsTest, ChangedSettingsAreInForceAfterARestart) {
  start({});
  set({"max", "3"});
  set({"min", "5000"});
  set({"order", "index", "desc"});
  set({"gpu", "1"});
  stop();
  start({});
  nlohmann::json now = status();
  EXPECT_EQ(now["max_running"], 3) << now.dump();
  EXPECT_EQ(now["min_mem_mib"], 5000) << now.dump();
  EXPECT_EQ(now["order"], "index desc") << now.dump();
  EXPECT_EQ(now["disabled_gpus"], nlohmann::json::array({1})) << now.dump();
  EXPECT_EQ(now["dispatching"], true) << now.dump();
  EXPECT_THAT(output(), HasSubstr("saved settings applied: max 3, min 5000 MiB, order index "
                                  "desc, disabled GPUs 1\n"));
}

TEST_F(SavedSettingsTest, AnOptionOnTheCommandLineWinsSaysSoAndIsNotSaved) {
  start({});
  set({"max", "3"});
  set({"min", "5000"});
  stop();
  start({"--max", "5"});
  nlohmann::json now = status();
  EXPECT_EQ(now["max_running"], 5) << now.dump();
  EXPECT_EQ(now["min_mem_mib"], 5000) << now.dump();  // not on the command line: saved
  EXPECT_THAT(output(), HasSubstr("max 5 from the command line (the saved setting was 3)\n"));
  EXPECT_THAT(output(), HasSubstr("saved settings applied: min 5000 MiB\n"));
  stop();
  start({});
  EXPECT_EQ(status()["max_running"], 3);
  EXPECT_THAT(output(), Not(HasSubstr("from the command line")));
}

// `min auto` (issue 13) survives a restart like a number; a later `min N` turns it off.
TEST_F(SavedSettingsTest, MinAutoIsInForceAfterARestart) {
  start({});
  set({"min", "auto"});
  EXPECT_EQ(status()["min_mem_auto"], true);
  stop();
  start({});
  EXPECT_EQ(status()["min_mem_auto"], true) << status().dump();
  EXPECT_THAT(output(), HasSubstr("saved settings applied: min auto\n"));
  set({"min", "6000"});
  EXPECT_EQ(status()["min_mem_auto"], false);
  stop();
  start({"--min-mem", "auto"});
  EXPECT_EQ(status()["min_mem_auto"], true);
  EXPECT_THAT(output(),
              HasSubstr("min auto from the command line (the saved setting was 6000 MiB)"));
}

// A batch (or service) restarted after `run off` stays paused; --start dispatches over it.
TEST_F(SavedSettingsTest, DispatchOffIsKeptByABatchRestartAndStartWins) {
  start({});
  ASSERT_TRUE(wait_until([&] { return file_exists(dir_.file("started")); })) << output();
  set({"run", "off"});
  stop();
  std::filesystem::remove(dir_.file("started"));
  start({});
  EXPECT_EQ(status()["dispatching"], false);
  EXPECT_THAT(output(), HasSubstr("saved settings applied: dispatch off"));
  stop();
  EXPECT_FALSE(file_exists(dir_.file("started")));
  start({"--start"});
  EXPECT_EQ(status()["dispatching"], true);
  EXPECT_THAT(output(), HasSubstr("dispatch on from the command line (the saved setting was off)"));
  EXPECT_TRUE(wait_until([&] { return file_exists(dir_.file("started")); })) << output();
}

TEST_F(SavedSettingsTest, ASavedValueThatNoLongerFitsIsIgnoredWithAMessage) {
  start({});
  set({"gpu", "1"});
  set({"min", "6000"});
  stop();
  {
    auto store = SqliteStore::open(state_dir());
    ASSERT_TRUE(store.ok()) << store.error().message;
    ASSERT_TRUE((*store)->set_setting("max_running", "many").ok());
    ASSERT_TRUE((*store)->set_setting("gpu_order", "speed desc").ok());
  }
  start({}, "1x24000");  // GPU 1 is gone
  nlohmann::json now = status();
  EXPECT_EQ(now["max_running"], 4) << now.dump();
  EXPECT_EQ(now["order"], "default") << now.dump();
  EXPECT_EQ(now["disabled_gpus"], nlohmann::json::array()) << now.dump();
  EXPECT_EQ(now["min_mem_mib"], 6000) << now.dump();  // the others still apply
  const std::string out = output();
  EXPECT_THAT(out, HasSubstr("the saved max is ignored: 'many' is not a whole number ≥ 1\n"));
  EXPECT_THAT(out, HasSubstr("the saved order 'speed desc' is ignored: "));
  EXPECT_THAT(out, HasSubstr("the saved disabled GPU 1 is ignored: there is no GPU 1 now\n"));
  EXPECT_THAT(out, HasSubstr("saved settings applied: min 6000 MiB\n"));
}

}  // namespace
}  // namespace flowline::testing

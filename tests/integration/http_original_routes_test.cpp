// The Python original's routes on a real `flowline serve` (issue 11, step 4): its paths and
// JSON shapes, errors as {"error": ...} with a 4xx status, and a script written for the
// original (curl calls) passing unchanged.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "integration/support/served.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

class HttpOriginalRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    served_.start();
    ASSERT_TRUE(wait_until([&] {
      return file_exists(served_.dir().file("started-0")) &&
             file_exists(served_.dir().file("started-1")) &&
             file_exists(served_.dir().file("started-2")) &&
             served_.get_json("/api/v1/status")["counts"]["running"] == 3;
    })) << served_.output();
  }
  // The original's reserved columns (cmd, need_run_num) are in the file, as its tools wrote
  // them: rows created through the API fill them.
  ServedFlowLine served_{"name,gpus,lr,cmd,need_run_num\na,1,0.1,x,1\nb,1,0.2,x,1\nc,0,0.3,x,1\n"};
};

TEST_F(HttpOriginalRoutesTest, AScriptWrittenForTheOriginalPassesUnchanged) {
  write_file(served_.dir().file(".curlrc"),
             "header = \"Authorization: Bearer " + served_.token() + "\"\n");
  Outcome o = run_program({{"/bin/sh", "-x", FLOWLINE_SOURCE_DIR "/tests/integration/scripts/original_api_client.sh"},
                           served_.dir().path(),
                           {{"BASE", "http://127.0.0.1:" + std::to_string(served_.port())},
                            {"CURL_HOME", served_.dir().path()}}});
  EXPECT_EQ(o.exit_code, 0) << o.out << o.err << served_.output();
  EXPECT_THAT(o.out, HasSubstr("all checks passed"));
  // The created task is a row of the table file.
  EXPECT_THAT(read_file(served_.dir().file("todo.csv")), HasSubstr("from-script"));
}

TEST_F(HttpOriginalRoutesTest, ProcessesAreFlowLinesRunsAndKillRequeues) {
  json processes = served_.get_json("/api/process");
  ASSERT_EQ(processes.size(), 3u) << processes.dump();
  const std::string some = processes.begin().key();
  EXPECT_EQ(processes[some]["process_id"].get<int64_t>(), std::stoll(some));
  json on_gpu_1 = served_.get_json("/api/gpu/1/process");
  ASSERT_EQ(on_gpu_1.size(), 1u) << on_gpu_1.dump();
  EXPECT_EQ(on_gpu_1.begin().value()["gpu_id"], 1);
  json killed = served_.post_json("/api/process/" + some + "/kill", json::object());
  EXPECT_EQ(killed["success"], true);
  EXPECT_EQ(served_.post_json("/api/process/999/kill", json::object(), 404)["error"],
            "no running run 999");
  EXPECT_THAT(served_.post_json("/api/process/abc/kill", json::object(), 404)["error"].get<std::string>(),
              HasSubstr("no process 'abc'"));
  EXPECT_THAT(served_.get_json("/api/gpu/7/process", 404)["error"].get<std::string>(),
              HasSubstr("no GPU 7"));
  EXPECT_EQ(served_.post_json("/api/gpu/7/switch", json::object(), 404)["error"], "no GPU 7");
}

TEST_F(HttpOriginalRoutesTest, TasksShowTheOriginalsStatesAndDeleteDrops) {
  json list = served_.get_json("/api/task/list");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0]["status"], "RUNNING");
  EXPECT_EQ(list[0]["dict"], "{'lr': '0.1'}");
  auto res = served_.client()->Delete("/api/task/2");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_THAT(res->body, HasSubstr("its 1 running run continues"));
  EXPECT_EQ(served_.get_json("/api/task/2")["status"], "RUNNING");  // until its run ends
  EXPECT_EQ(served_.client()->Delete("/api/task/42")->status, 404);
  served_.open_gate();
  ASSERT_TRUE(wait_until([&] { return served_.get_json("/api/task/0")["status"] == "COMPLETED"; }));
  ASSERT_TRUE(wait_until([&] { return served_.get_json("/api/task/2")["status"] == "STOPPED"; }));
}

TEST_F(HttpOriginalRoutesTest, CreateAndCopyAppendRowsAndBadOnesAreRefusedWithTheReason) {
  json made = served_.post_json("/api/task/create", {{"name", "d"}, {"lr", 0.4}, {"gpus", 0}});
  EXPECT_EQ(made["success"], true) << made.dump();
  json copied = served_.post_json("/api/task/copy", {{"task_id", 0}, {"lr", "0.9"}});
  EXPECT_EQ(copied["success"], true) << copied.dump();
  const std::string table = read_file(served_.dir().file("todo.csv"));
  EXPECT_THAT(table, HasSubstr("d,0,0.4,"));
  EXPECT_THAT(table, HasSubstr(",0.9"));
  json unknown = served_.post_json("/api/task/create", {{"name", "e"}, {"nosuch", "1"}}, 400);
  EXPECT_EQ(unknown["success"], false);
  EXPECT_THAT(unknown["error"].get<std::string>(), HasSubstr("nosuch"));
  EXPECT_THAT(served_.post_json("/api/task/copy", {{"task_id", 77}}, 404)["error"].get<std::string>(),
              HasSubstr("no task 77"));
  EXPECT_THAT(served_.post_json("/api/task/copy", {{"lr", 1}}, 400)["error"].get<std::string>(),
              HasSubstr("task_id"));
  EXPECT_EQ(served_.get_json("/api/task/list").size(), 5u);
}

TEST_F(HttpOriginalRoutesTest, LogsAreListedAndReadAsTheOriginalParsedThem) {
  json files = served_.get_json("/api/log/list")["files"];
  std::string own;
  for (const json& f : files)
    if (f["name"] == "flowline.log") own = f["fullPath"];
  ASSERT_EQ(own, served_.state_dir() + "/flowline.log") << files.dump();
  json lines = served_.get_json("/api/log/flowline.log?maxLines=50")["lines"];
  ASSERT_FALSE(lines.empty());
  bool parsed = false;
  for (const json& l : lines) parsed = parsed || (l["level"] == "INFO" && !l["timestamp"].get<std::string>().empty());
  EXPECT_TRUE(parsed) << lines.dump();
  EXPECT_EQ(served_.get_json("/api/log/flowline.log?maxLines=1")["lines"].size(), 1u);
  EXPECT_THAT(served_.get_json("/api/log/flowline.log?maxLines=x", 400)["error"].get<std::string>(),
              HasSubstr("maxLines"));
  EXPECT_EQ(served_.get_json("/api/log/nosuch.log", 404)["error"],
            "no log file 'nosuch.log' (GET /api/log/list lists them)");
}

}  // namespace
}  // namespace flowline::testing

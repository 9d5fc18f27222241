// FlowLine's own API under /api/v1 on a real `flowline serve` (issue 11, step 4): status,
// settings (and their survival of a restart), tasks with paging/filter/search and their runs,
// task actions, runs and their output from a byte offset, GPU history, /metrics; and the
// service's own life: SIGTERM leaves runs for the next start.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include "integration/support/served.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using nlohmann::json;

class HttpV1Test : public ::testing::Test {
 protected:
  void start_and_wait_for_runs() {
    served_.start();
    ASSERT_TRUE(wait_until([&] {
      return file_exists(served_.dir().file("started-0")) &&
             file_exists(served_.dir().file("started-1")) &&
             served_.get_json("/api/v1/status")["counts"]["running"] == 3;
    })) << served_.output();
  }
  // One GPU run per simulated GPU (each is promised 20000 of 24000 MiB): d waits.
  ServedFlowLine served_{
      "name,gpus,lr,priority,min_mem\na,1,0.1,0,20000\nb,1,0.2,0,20000\nc,0,0.3,0,\n"
      "d,1,0.4,0,20000\n"};
};

TEST_F(HttpV1Test, StatusSaysWhatRunsAndHow) {
  start_and_wait_for_runs();
  json s = served_.get_json("/api/v1/status");
  EXPECT_EQ(s["counts"]["running"], 3);
  EXPECT_EQ(s["counts"]["queued"], 1);  // d waits for a GPU
  EXPECT_EQ(s["simulated"], true);
  EXPECT_EQ(s["dispatching"], true);
  EXPECT_EQ(s["gpus"], 2);
  EXPECT_EQ(s["table"], served_.dir().file("todo.csv"));
  EXPECT_TRUE(s["version"].is_string());
  EXPECT_TRUE(s["eta_s"].is_null());  // nothing finished yet: no rate to go by
}

TEST_F(HttpV1Test, SettingsChangeTogetherAndABadBodyChangesNothing) {
  start_and_wait_for_runs();
  json bad = served_.post_json("/api/v1/settings", {{"max_running", 2}, {"min_mem_mib", -5}}, 400);
  EXPECT_THAT(bad["error"].get<std::string>(), HasSubstr("min_mem_mib"));
  EXPECT_EQ(served_.get_json("/api/v1/settings")["max_running"], 4);  // not half applied
  EXPECT_THAT(served_.post_json("/api/v1/settings", {{"colour", "red"}}, 400)["error"].get<std::string>(),
              HasSubstr("unknown setting 'colour'"));
  EXPECT_THAT(served_.post_json("/api/v1/settings", {{"disabled_gpus", {5}}}, 400)["error"].get<std::string>(),
              HasSubstr("no GPU 5"));
  EXPECT_THAT(served_.post_json("/api/v1/settings", {{"order", "nonsense"}}, 400)["error"].get<std::string>(),
              HasSubstr("order"));
  json changed = served_.post_json("/api/v1/settings", {{"max_running", 2},
                                                        {"min_mem_mib", 500},
                                                        {"order", "index desc"},
                                                        {"disabled_gpus", {1}},
                                                        {"dispatching", false}});
  EXPECT_EQ(changed["max_running"], 2);
  EXPECT_EQ(changed["min_mem_mib"], 500);
  EXPECT_EQ(changed["order"], "index desc");
  EXPECT_EQ(changed["disabled_gpus"], json::array({1}));
  EXPECT_EQ(changed["dispatching"], false);
  // They survive a restart of the service (saved in the state database).
  EXPECT_EQ(served_.stop(), 0);
  served_.start();
  json after = served_.get_json("/api/v1/settings");
  EXPECT_EQ(after["max_running"], 2) << after.dump();
  EXPECT_EQ(after["min_mem_mib"], 500);
  EXPECT_EQ(after["order"], "index desc");
  EXPECT_EQ(after["disabled_gpus"], json::array({1}));
  EXPECT_EQ(after["dispatching"], false);
}

// `min_mem_auto` (issue 13): on through the API, kept across a restart; each task says what
// it asks for and where that came from.
TEST_F(HttpV1Test, MinMemAutoIsASettingAndTasksSayWhereTheirMemoryCameFrom) {
  start_and_wait_for_runs();
  EXPECT_THAT(served_.post_json("/api/v1/settings", {{"min_mem_auto", "yes"}}, 400)["error"]
                  .get<std::string>(),
              HasSubstr("min_mem_auto: expected true or false"));
  json changed = served_.post_json("/api/v1/settings", {{"min_mem_auto", true}});
  EXPECT_EQ(changed["min_mem_auto"], true) << changed.dump();
  EXPECT_EQ(changed["mem_margin_percent"], 10);
  json task = served_.get_json("/api/v1/tasks?limit=1")["tasks"][0];
  EXPECT_TRUE(task.contains("min_mem_source")) << task.dump();
  EXPECT_TRUE(task.contains("min_mem_used"));
  EXPECT_TRUE(task.contains("mem_group"));
  EXPECT_EQ(served_.stop(), 0);
  served_.start();
  EXPECT_EQ(served_.get_json("/api/v1/settings")["min_mem_auto"], true);
  EXPECT_EQ(served_.post_json("/api/v1/settings", {{"min_mem_auto", false}})["min_mem_auto"],
            false);
}

TEST_F(HttpV1Test, TasksComeInPagesFilteredBySateAndSearchedInAnyColumnWithTheirRuns) {
  start_and_wait_for_runs();
  json page = served_.get_json("/api/v1/tasks?offset=1&limit=2");
  EXPECT_EQ(page["total"], 4);
  ASSERT_EQ(page["tasks"].size(), 2u);
  EXPECT_EQ(page["tasks"][0]["name"], "b");
  EXPECT_EQ(page["tasks"][0]["params"]["lr"], "0.2");
  ASSERT_EQ(page["tasks"][0]["runs"].size(), 1u);
  EXPECT_EQ(page["tasks"][0]["runs"][0]["state"], "running");
  json queued = served_.get_json("/api/v1/tasks?state=queued");
  ASSERT_EQ(queued["total"], 1);
  EXPECT_EQ(queued["tasks"][0]["name"], "d");
  json found = served_.get_json("/api/v1/tasks?q=0.3");
  ASSERT_EQ(found["total"], 1);
  EXPECT_EQ(found["tasks"][0]["name"], "c");
  EXPECT_EQ(served_.get_json("/api/v1/tasks?q=nothing-like-this")["total"], 0);
  EXPECT_THAT(served_.get_json("/api/v1/tasks?state=sleeping", 400)["error"].get<std::string>(),
              HasSubstr("unknown state 'sleeping'"));
  EXPECT_THAT(served_.get_json("/api/v1/tasks?limit=0", 400)["error"].get<std::string>(),
              HasSubstr("limit"));
  EXPECT_EQ(served_.get_json("/api/v1/tasks/2")["name"], "c");
  EXPECT_EQ(served_.get_json("/api/v1/tasks/99", 404)["error"], "no task 99");
}

TEST_F(HttpV1Test, TaskActionsTellTheTruthAndWriteTheTable) {
  start_and_wait_for_runs();
  EXPECT_EQ(served_.post_json("/api/v1/tasks/3/retry", json::object(), 409)["error"],
            "task 3 (d) is queued, not failed or dropped: nothing to retry");
  EXPECT_EQ(served_.post_json("/api/v1/tasks/3/drop", json::object())["message"], "task 3 dropped");
  EXPECT_EQ(served_.post_json("/api/v1/tasks/3/retry", json::object())["message"],
            "task 3 (d) queued again");
  EXPECT_THAT(served_.post_json("/api/v1/tasks/0/priority", {{"priority", 7}})["message"].get<std::string>(),
              HasSubstr("priority 7"));
  EXPECT_THAT(read_file(served_.dir().file("todo.csv")), HasSubstr("a,1,0.1,7,20000"));
  EXPECT_EQ(served_.get_json("/api/v1/tasks/0")["priority"], 7);
  EXPECT_EQ(served_.get_json("/api/v1/tasks/0")["id"], 0);  // the same task, not a new one
  EXPECT_THAT(served_.post_json("/api/v1/tasks/0/priority", {{"priority", "high"}}, 400)["error"].get<std::string>(),
              HasSubstr("whole number"));
  json copied = served_.post_json("/api/v1/tasks/2/copy", {{"lr", "0.35"}});
  EXPECT_THAT(copied["message"].get<std::string>(), HasSubstr("added as row 5"));
  json added = served_.post_json("/api/v1/tasks", {{"name", "e"}, {"gpus", 0}, {"lr", 1}});
  EXPECT_THAT(added["message"].get<std::string>(), HasSubstr("task 5 (e) added"));
  EXPECT_THAT(served_.post_json("/api/v1/tasks", {{"name", "f"}, {"colour", "red"}}, 400)["error"].get<std::string>(),
              HasSubstr("colour"));
  EXPECT_EQ(served_.post_json("/api/v1/tasks/42/drop", json::object(), 404)["error"], "no task 42");
  const std::string table = read_file(served_.dir().file("todo.csv"));
  EXPECT_THAT(table, HasSubstr("c,0,0.35,0,"));
  EXPECT_THAT(table, HasSubstr("e,0,1,"));
  EXPECT_THAT(table, Not(HasSubstr("red")));
}

TEST_F(HttpV1Test, ARunsOutputIsFollowedFromAByteOffsetAndKeptAfterItEnds) {
  start_and_wait_for_runs();
  json runs = served_.get_json("/api/v1/runs?task=0");
  ASSERT_EQ(runs["total"], 1);
  const int64_t run = runs["runs"][0]["run_id"];
  json first;
  ASSERT_TRUE(wait_until([&] {
    first = served_.get_json("/api/v1/runs/" + std::to_string(run) + "/log?offset=0");
    return first["data"].get<std::string>().find("line one") != std::string::npos;
  }));
  EXPECT_EQ(first["running"], true);
  const int64_t next = first["next_offset"];
  EXPECT_EQ(next, static_cast<int64_t>(first["data"].get<std::string>().size()));
  served_.open_gate();
  json rest;
  ASSERT_TRUE(wait_until([&] {
    rest = served_.get_json("/api/v1/runs/" + std::to_string(run) + "/log?offset=" + std::to_string(next));
    return rest["running"] == false && !rest["data"].get<std::string>().empty();
  }));
  EXPECT_EQ(rest["data"], "line two of task 0\n");  // only what came after the offset
  json ended = served_.get_json("/api/v1/runs/" + std::to_string(run));
  EXPECT_EQ(ended["state"], "succeeded");
  EXPECT_EQ(ended["exit_code"], 0);
  EXPECT_EQ(ended["running"], false);
  EXPECT_EQ(ended["name"], "a") << "an ended run still says whose it is";
  EXPECT_EQ(served_.get_json("/api/v1/runs/" + std::to_string(run) + "/log?stream=err")["data"], "");
  EXPECT_THAT(served_.get_json("/api/v1/runs/1/log?stream=both", 400)["error"].get<std::string>(),
              HasSubstr("out or err"));
  EXPECT_EQ(served_.get_json("/api/v1/runs/999/log", 404)["error"], "no run 999");
  json all = served_.get_json("/api/v1/runs?limit=2");
  EXPECT_GE(all["total"].get<int>(), 4);
  EXPECT_EQ(all["runs"].size(), 2u);
}

TEST_F(HttpV1Test, GpuHistoryAndMetricsShowTheSimulatedGpus) {
  start_and_wait_for_runs();
  json history;
  ASSERT_TRUE(wait_until([&] {
    history = served_.get_json("/api/v1/gpus/history?seconds=60");
    return history.contains("1") && history["1"]["time_ms"].size() >= 2;
  }));
  EXPECT_EQ(history["0"]["free"].size(), history["0"]["time_ms"].size());
  EXPECT_EQ(history["0"]["free"].back(), 24000);  // `sh work.sh` allocates nothing
  auto res = served_.client()->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->get_header_value("Content-Type"), HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(res->body, HasSubstr("flowline_gpu_memory_total_mib{gpu=\"1\",name=\"FlowLine Simulated GPU\"} 24000\n"));
  EXPECT_THAT(res->body, HasSubstr("flowline_tasks{state=\"running\"} 3\n"));
  EXPECT_THAT(res->body, HasSubstr("flowline_run_launches_total 3\n"));
  EXPECT_THAT(res->body, HasSubstr("# TYPE flowline_run_oom_requeues_total counter\n"));
}

TEST_F(HttpV1Test, SigtermLeavesRunsRunningAndTheNextStartReadoptsThem) {
  start_and_wait_for_runs();
  EXPECT_EQ(served_.stop(), 0);
  // The runs outlived the service: their scripts still wait for the gate, and the next start
  // finds them alive.
  json before;
  served_.start();
  ASSERT_TRUE(wait_until([&] {
    before = served_.get_json("/api/v1/status");
    return before["counts"]["running"] == 3;
  })) << served_.output();
  EXPECT_THAT(served_.output(), HasSubstr("re-adopted run"));
  served_.open_gate();
  ASSERT_TRUE(wait_until([&] { return served_.get_json("/api/v1/status")["counts"]["done"] == 4; }))
      << served_.output();
  json runs = served_.get_json("/api/v1/runs?limit=100");
  EXPECT_EQ(runs["total"], 4);  // no run was started twice
}

// For the web UI's grid (issue 12): sorted by any column, counted by state for the filter's
// chips, the table's parameter columns, and every matching id for "select all".
TEST_F(HttpV1Test, TasksSortByAnyColumnAndSayTheirCountsColumnsAndIds) {
  start_and_wait_for_runs();
  served_.post_json("/api/v1/settings", {{"max_running", 10}});
  // Numbers sort as numbers (9 before 10), text as text; ties keep table order.
  served_.post_json("/api/v1/tasks", {{"name", "e"}, {"gpus", 0}, {"lr", "10"}, {"priority", 1}});
  served_.post_json("/api/v1/tasks", {{"name", "f"}, {"gpus", 0}, {"lr", "9"}, {"priority", 1}});
  ASSERT_TRUE(wait_until([&] { return served_.get_json("/api/v1/status")["counts"]["running"] == 5; }))
      << served_.output();
  auto names = [](const json& page) {
    std::vector<std::string> out;
    for (const json& t : page["tasks"]) out.push_back(t["name"]);
    return out;
  };
  EXPECT_THAT(names(served_.get_json("/api/v1/tasks?sort=lr&runs=0")),
              ::testing::ElementsAre("a", "b", "c", "d", "f", "e"));
  EXPECT_THAT(names(served_.get_json("/api/v1/tasks?sort=lr&desc=1&runs=0")),
              ::testing::ElementsAre("e", "f", "d", "c", "b", "a"));
  EXPECT_THAT(names(served_.get_json("/api/v1/tasks?sort=priority&desc=1&runs=0")),
              ::testing::ElementsAre("e", "f", "a", "b", "c", "d"));
  EXPECT_THAT(names(served_.get_json("/api/v1/tasks?sort=name&desc=true&offset=1&limit=2")),
              ::testing::ElementsAre("e", "d"));
  // Blank cells come last either way (min_mem of c, e and f is blank).
  EXPECT_THAT(names(served_.get_json("/api/v1/tasks?sort=min_mem&desc=1&runs=0")),
              ::testing::ElementsAre("a", "b", "d", "c", "e", "f"));
  json queued = served_.get_json("/api/v1/tasks?state=queued,running&sort=state&desc=1");
  EXPECT_EQ(queued["total"], 6);
  EXPECT_EQ(queued["tasks"][0]["state"], "running");
  EXPECT_EQ(queued["tasks"][5]["name"], "d");  // the one queued task, last
  // Counts by state cover the search, not the state filter; columns are the parameters.
  json page = served_.get_json("/api/v1/tasks?state=queued&runs=0");
  EXPECT_EQ(page["total"], 1);
  EXPECT_EQ(page["counts"]["running"], 5);
  EXPECT_EQ(page["counts"]["queued"], 1);
  EXPECT_EQ(page["counts"]["failed"], 0);
  EXPECT_EQ(page["columns"], json::array({"lr"}));
  EXPECT_EQ(served_.get_json("/api/v1/tasks?q=0.&runs=0")["counts"]["running"], 3);
  EXPECT_FALSE(page.contains("ids"));
  json ids = served_.get_json("/api/v1/tasks?sort=lr&desc=1&ids=1&limit=1&runs=0");
  EXPECT_EQ(ids["ids"], json::array({4, 5, 3, 2, 1, 0}));
  EXPECT_EQ(ids["tasks"].size(), 1u);
  EXPECT_THAT(served_.get_json("/api/v1/tasks?sort=colour", 400)["error"].get<std::string>(),
              HasSubstr("no column 'colour'"));
}

TEST_F(HttpV1Test, ARunsWholeOutputDownloadsAsAFile) {
  start_and_wait_for_runs();
  const int64_t run = served_.get_json("/api/v1/runs?task=0")["runs"][0]["run_id"];
  const std::string path = "/api/v1/runs/" + std::to_string(run) + "/log/raw";
  ASSERT_TRUE(wait_until([&] {
    auto res = served_.client()->Get(path);
    return res && res->body.find("line one") != std::string::npos;
  }));
  auto res = served_.client()->Get(path + "?stream=out");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "line one of task 0\n");
  EXPECT_EQ(res->get_header_value("Content-Disposition"),
            "attachment; filename=\"run-" + std::to_string(run) + ".out\"");
  EXPECT_THAT(res->get_header_value("Content-Type"), HasSubstr("text/plain"));
  auto err = served_.client()->Get(path + "?stream=err");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->status, 200);
  EXPECT_EQ(err->body, "");
  EXPECT_THAT(served_.get_json(path + "?stream=both", 400)["error"].get<std::string>(),
              HasSubstr("out or err"));
  EXPECT_EQ(served_.get_json("/api/v1/runs/999/log/raw", 404)["error"], "no run 999");
  EXPECT_EQ(served_.anonymous()->Get(path)->status, 401);
}

TEST_F(HttpV1Test, ATasksRunsAreSearchedTogether) {
  start_and_wait_for_runs();
  served_.open_gate();
  ASSERT_TRUE(wait_until([&] { return served_.get_json("/api/v1/status")["counts"]["done"] == 4; }))
      << served_.output();
  json found = served_.get_json("/api/v1/tasks/0/logs?q=LINE%20TWO");
  EXPECT_EQ(found["runs"], 1);
  EXPECT_EQ(found["truncated"], false);
  ASSERT_EQ(found["matches"].size(), 1u);
  EXPECT_EQ(found["matches"][0]["stream"], "out");
  EXPECT_EQ(found["matches"][0]["line"], 2);
  EXPECT_EQ(found["matches"][0]["offset"], 19);  // after "line one of task 0\n"
  EXPECT_EQ(found["matches"][0]["text"], "line two of task 0");
  EXPECT_EQ(served_.get_json("/api/v1/tasks/0/logs?q=of%20task&limit=1")["truncated"], true);
  EXPECT_EQ(served_.get_json("/api/v1/tasks/0/logs?q=nowhere")["matches"].size(), 0u);
  EXPECT_THAT(served_.get_json("/api/v1/tasks/0/logs", 400)["error"].get<std::string>(),
              HasSubstr("q"));
  EXPECT_EQ(served_.get_json("/api/v1/tasks/99/logs?q=x", 404)["error"], "no task 99");
}

// The web UI's GPU cards (issue 12): each GPU process names the FlowLine run it belongs to
// (by its session) and its command line.
TEST(HttpV1GpuProcessesTest, EachGpuProcessNamesItsRunAndCommand) {
  ServedFlowLine served("name,gpus,min_mem\nheld,1,3000\n");
  write_file(served.dir().file("work.sh"),
             "exec '" + flowline_exe() + "' sim-job --mem 3000 --secs 60\n");
  served.start({"--stop-runs-on-exit"});
  json process;
  ASSERT_TRUE(wait_until([&] {
    const json gpus = served.get_json("/api/v1/gpus");
    for (const auto& [id, gpu] : gpus.items())
      for (const json& p : gpu["processes"])
        if (p["flowline"] == true && !p["run_id"].is_null()) process = p;
    return !process.is_null();
  })) << served.output();
  EXPECT_EQ(process["run_id"], 1);
  EXPECT_EQ(process["task_id"], 0);
  EXPECT_EQ(process["task_name"], "held");
  EXPECT_EQ(process["used_memory"], 3000);
  EXPECT_THAT(process["command"].get<std::string>(), HasSubstr("sim-job --mem 3000 --secs 60"));
}

TEST_F(HttpV1Test, AboutSaysVersionHostDriverAndUptime) {
  served_.start();
  json about = served_.get_json("/api/v1/about");
  EXPECT_EQ(about["version"], served_.get_json("/api/v1/status")["version"]);
  EXPECT_FALSE(about["version"].get<std::string>().empty());
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof host - 1), 0);
  EXPECT_EQ(about["host"], host);
  EXPECT_THAT(about["system"].get<std::string>(), HasSubstr("CPU:"));
  EXPECT_THAT(about["driver"].get<std::string>(), HasSubstr("flowline-sim"));
  EXPECT_THAT(about["gpu_source"].get<std::string>(), HasSubstr("simulated NVML"));
  EXPECT_EQ(about["simulated"], true);
  EXPECT_EQ(about["gpus"], 2);
  EXPECT_GE(about["uptime_s"].get<int64_t>(), 0);
  EXPECT_GT(about["started_ms"].get<int64_t>(), 0);
  EXPECT_EQ(about["table"], served_.dir().file("todo.csv"));
  EXPECT_EQ(about["state_dir"], served_.state_dir());
  EXPECT_EQ(served_.anonymous()->Get("/api/v1/about")->status, 401);
}

// The Settings page's "rotate": like `flowline token --rotate`, and the caller's browser
// gets the new token as its cookie.
TEST_F(HttpV1Test, RotatingTheTokenShutsOutTheOldOneAndGivesTheCallerTheNewCookie) {
  served_.start();
  const std::string old = served_.token();
  EXPECT_EQ(served_.anonymous()->Post("/api/v1/token/rotate", "", "application/json")->status, 401);
  auto res = served_.client()->Post("/api/v1/token/rotate", "", "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_THAT(res->body, Not(HasSubstr(old)));
  const std::string fresh = read_file(served_.state_dir() + "/http-token").substr(0, 64);
  ASSERT_NE(fresh, old);
  EXPECT_THAT(res->body, Not(HasSubstr(fresh)));  // the token travels only in the cookie
  const std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_THAT(cookie, HasSubstr("flowline_token=" + fresh));
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, HasSubstr("SameSite=Strict"));
  auto c = served_.anonymous();
  EXPECT_EQ(c->Get("/api/v1/status", {{"Cookie", "flowline_token=" + old}})->status, 401);
  EXPECT_EQ(c->Get("/api/v1/status", {{"Cookie", "flowline_token=" + fresh}})->status, 200);
  c->set_bearer_token_auth(fresh);
  EXPECT_EQ(c->Get("/api/v1/status")->status, 200);
  // Another site's page cannot rotate it (the Origin check).
  auto foreign = c->Post("/api/v1/token/rotate", {{"Origin", "http://attacker.example"}}, "",
                         "application/json");
  ASSERT_TRUE(foreign);
  EXPECT_EQ(foreign->status, 403);
  EXPECT_EQ(read_file(served_.state_dir() + "/http-token").substr(0, 64), fresh);
}

}  // namespace
}  // namespace flowline::testing

namespace flowline::testing {
namespace {

// Brotli as Debian's httplib does it (its slowest setting) cost 15 times the CPU of gzip per
// answer; a browser that offers both gets gzip, one that offers only brotli gets plain text.
TEST(HttpCompression, BrowsersGetGzipNotBrotli) {
  ServedFlowLine served("name\na\n");
  served.start();
  auto ask = [&](const std::string& accept) {
    return raw_http(served.port(), "GET /api/v1/tasks?runs=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "Authorization: Bearer " + served.token() +
                                   "\r\nAccept-Encoding: " + accept +
                                   "\r\nConnection: close\r\n\r\n");
  };
  RawResponse browser = ask("gzip, deflate, br, zstd");
  EXPECT_EQ(browser.status, 200);
  EXPECT_NE(browser.head.find("Content-Encoding: gzip"), std::string::npos) << browser.head;
  RawResponse brotli_only = ask("br");
  EXPECT_EQ(brotli_only.status, 200);
  EXPECT_EQ(brotli_only.head.find("Content-Encoding"), std::string::npos) << brotli_only.head;
  EXPECT_NE(brotli_only.body.find("\"tasks\""), std::string::npos);
}

}  // namespace
}  // namespace flowline::testing

// Server-sent events of a real `flowline serve` (issue 11, step 4): a client that drops its
// connection resumes with Last-Event-ID and misses nothing; and 50 clients at once (with
// event streams open) neither fail nor stall the engine while it dispatches.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>

#include "integration/support/served.hpp"

namespace flowline::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

struct StreamEvent {
  uint64_t id = 0;
  std::string kind;
  json data;
};

// Reads the event stream (from `last_id` when given) until `done` holds for what was read or
// `limit` passes; `connected` is called once the stream has begun.
std::vector<StreamEvent> read_stream(const ServedFlowLine& served, std::optional<uint64_t> last_id,
                                     const std::function<bool(const std::vector<StreamEvent>&)>& done,
                                     const std::function<void()>& connected = {},
                                     std::chrono::seconds limit = std::chrono::seconds(20)) {
  std::vector<StreamEvent> events;
  std::string pending;
  bool begun = false;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  httplib::Headers headers;
  if (last_id) headers.emplace("Last-Event-ID", std::to_string(*last_id));
  const std::regex block(R"(id: (\d+)\nevent: (\w+)\ndata: (.*)\n)");
  served.client()->Get("/api/v1/events", headers, [&](const char* data, size_t n) {
    pending.append(data, n);
    size_t end;
    while ((end = pending.find("\n\n")) != std::string::npos) {
      const std::string one = pending.substr(0, end + 1);
      pending.erase(0, end + 2);
      std::smatch m;
      if (std::regex_search(one, m, block))
        events.push_back({std::stoull(m[1]), m[2], json::parse(m[3].str())});
    }
    if (!begun) {
      begun = true;
      if (connected) connected();
    }
    return !done(events) && std::chrono::steady_clock::now() < deadline;
  });
  return events;
}

bool has(const std::vector<StreamEvent>& events, const std::string& kind, const std::string& text) {
  for (const auto& e : events)
    if (e.kind == kind && e.data["text"].get<std::string>().find(text) != std::string::npos) return true;
  return false;
}

TEST(HttpEventsTest, AClientThatDroppedItsConnectionResumesAndMissesNothing) {
  ServedFlowLine served("name,gpus\na,0\nb,0\n");
  served.start();
  std::vector<StreamEvent> first = read_stream(
      served, std::nullopt, [](const auto& got) { return has(got, "setting", "at most 3 runs"); },
      [&] { served.post_json("/api/v1/settings", {{"max_running", 3}}); });
  ASSERT_TRUE(has(first, "setting", "at most 3 runs"));
  const uint64_t last = first.back().id;
  // While it is away: two changes.
  served.post_json("/api/v1/settings", {{"max_running", 2}});
  served.post_json("/api/v1/tasks/1/drop", json::object());
  std::vector<StreamEvent> resumed = read_stream(served, last, [](const auto& got) {
    return has(got, "task_dropped", "task 1 dropped");
  });
  ASSERT_FALSE(resumed.empty());
  EXPECT_EQ(resumed.front().id, last + 1);  // the next one, not the newest
  for (size_t i = 1; i < resumed.size(); ++i) EXPECT_EQ(resumed[i].id, resumed[i - 1].id + 1);
  EXPECT_TRUE(has(resumed, "setting", "at most 2 runs"));
  EXPECT_TRUE(has(resumed, "task_dropped", "task 1 dropped"));
  EXPECT_EQ(resumed.back().data["task_id"], 1);
  // A bad Last-Event-ID is the request's fault.
  auto bad = served.client()->Get("/api/v1/events", {{"Last-Event-ID", "soon"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(served.client()->Get("/api/v1/events?kinds=started,nope")->status, 400);
}

// 50 clients asking at once, 10 of them holding event streams, while FlowLine dispatches 200
// short runs: no request fails, and the sweep ends as it would without them.
TEST(HttpEventsTest, FiftyConcurrentClientsNeitherFailNorStallTheEngine) {
  std::string table = "name,gpus\n";
  for (int i = 0; i < 200; ++i) table += "t" + std::to_string(i) + ",0\n";
  ServedFlowLine served(table);
  served.start({"--cmd", "true", "--max", "8"});
  std::atomic<int> ok{0}, failed{0};
  std::atomic<bool> finished{false};
  std::string first_failure;
  std::mutex failure_mutex;
  const std::vector<std::string> paths = {"/api/gpus", "/api/v1/tasks?limit=50&state=done",
                                          "/api/task/list", "/api/v1/status", "/metrics",
                                          "/api/process", "/api/v1/runs?limit=20"};
  std::vector<std::thread> clients;
  for (int c = 0; c < 40; ++c) {
    clients.emplace_back([&, c] {
      auto client = served.client();
      for (size_t i = c; !finished; ++i) {
        auto res = client->Get(paths[i % paths.size()]);
        if (res && res->status == 200) {
          ++ok;
          continue;
        }
        ++failed;
        std::lock_guard lock(failure_mutex);
        if (first_failure.empty())
          first_failure = paths[i % paths.size()] + ": " +
                          (res ? std::to_string(res->status) + " " + res->body : "no answer");
      }
    });
  }
  std::atomic<int> streams_seeing_runs{0};
  for (int c = 0; c < 10; ++c) {
    clients.emplace_back([&] {
      auto got = read_stream(served, std::nullopt, [&](const auto& events) {
        return finished || has(events, "all_done", "every task has finished");
      }, {}, std::chrono::seconds(120));
      if (has(got, "finished", "succeeded")) ++streams_seeing_runs;
    });
  }
  const bool done = wait_until(
      [&] { return served.get_json("/api/v1/status")["finished"] == true; }, std::chrono::seconds(120));
  finished = true;
  for (auto& t : clients) t.join();
  ASSERT_TRUE(done) << served.output();
  EXPECT_EQ(failed, 0) << first_failure;
  EXPECT_GT(ok, 100);
  EXPECT_EQ(streams_seeing_runs, 10);
  EXPECT_EQ(served.get_json("/api/v1/status")["counts"]["done"], 200);
}

}  // namespace
}  // namespace flowline::testing

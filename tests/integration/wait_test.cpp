// Why a task waits, and until when (issue 13): the reasons and estimates the API gives for a
// small queue on simulated GPUs, checked against what then happens.
#include <gtest/gtest.h>

#include <cstdlib>

#include "integration/support/served.hpp"

namespace flowline::testing {
namespace {

using nlohmann::json;

json task_named(const json& tasks, const std::string& name) {
  for (const json& t : tasks)
    if (t["name"] == name) return t;
  return nullptr;
}

json all_tasks(const ServedFlowLine& served) {
  return served.get_json("/api/v1/tasks?limit=100")["tasks"];
}

// The start of a task's first run, from the store (the same clock as the estimates).
std::optional<int64_t> first_start(const ServedFlowLine& served, int64_t task_id) {
  const json t = served.get_json("/api/v1/tasks/" + std::to_string(task_id));
  for (const json& run : t["runs"])
    if (!run["start_ms"].is_null()) return run["start_ms"].get<int64_t>();
  return std::nullopt;
}

// --max 1 and four runs of 2 s: once the first has ended (so a run's length is known), the
// two behind the running one wait for the slot, first and second, and start close to when
// the estimate said. A task larger than any GPU never fits; one that needs two GPUs while
// one is switched on waits for the user.
//
// Tolerance: the estimate takes each run to hold its slot as long as the first one did (from
// its launch to FlowLine noticing its end), so what it misses is how much that varies from
// run to run: starting a process under the sanitizers on a busy 2-core machine, and the
// engine noticing an exit (~0.1-0.5 s). The second task ahead adds one more run's variation.
TEST(Wait, SlotQueueEstimatesMatchTheStartsThatFollow) {
  ServedFlowLine served(
      "name,min_mem,gpus\n"
      "a,1000,1\nb,1000,1\nc,1000,1\nd,1000,1\nhuge,30000,1\npair,1000,2\n");
  write_file(served.dir().file("work.sh"),
             "exec '" + flowline_exe() + "' sim-job --mem 1000 --secs 2\n");
  served.start({"--max", "1", "--gpus", "0", "--stop-runs-on-exit"});
  json tasks;
  ASSERT_TRUE(wait_until([&] {
    tasks = all_tasks(served);
    return task_named(tasks, "a")["state"] == "done" && task_named(tasks, "b")["state"] == "running";
  }, std::chrono::seconds(60))) << served.output();
  const json c = task_named(tasks, "c");
  const json d = task_named(tasks, "d");
  EXPECT_EQ(c["queue_position"], 1) << c.dump();
  EXPECT_EQ(d["queue_position"], 2) << d.dump();
  EXPECT_EQ(c["wait"]["kind"], "slot");
  EXPECT_EQ(c["wait"]["max_running"], 1);
  EXPECT_EQ(d["wait"]["kind"], "slot");
  ASSERT_TRUE(c["expected_start_ms"].is_number()) << c.dump();
  ASSERT_TRUE(d["expected_start_ms"].is_number()) << d.dump();

  const json huge = task_named(tasks, "huge");
  EXPECT_EQ(huge["state"], "infeasible");
  EXPECT_EQ(huge["wait"]["kind"], "infeasible");
  EXPECT_EQ(huge["wait"]["needs_mib"], 30000);
  EXPECT_TRUE(huge["queue_position"].is_null());
  EXPECT_TRUE(huge["expected_start_ms"].is_null());

  const json pair = task_named(tasks, "pair");
  EXPECT_EQ(pair["wait"]["kind"], "gpus_off") << pair.dump();
  EXPECT_EQ(pair["wait"]["gpus"], 2);
  EXPECT_EQ(pair["wait"]["gpus_on"], 1);
  EXPECT_TRUE(pair["expected_start_ms"].is_null());  // only the user can end that wait

  const json status = served.get_json("/api/v1/status");
  EXPECT_EQ(status["next_task"]["id"], c["id"]) << status.dump();

  std::optional<int64_t> c_start, d_start;
  ASSERT_TRUE(wait_until([&] {
    c_start = first_start(served, c["id"].get<int64_t>());
    d_start = first_start(served, d["id"].get<int64_t>());
    return c_start && d_start;
  }, std::chrono::seconds(60))) << served.output();
  const int64_t c_error = *c_start - c["expected_start_ms"].get<int64_t>();
  const int64_t d_error = *d_start - d["expected_start_ms"].get<int64_t>();
  std::cout << "estimate errors: c " << c_error << " ms, d " << d_error << " ms\n";
  EXPECT_LE(std::llabs(c_error), 1000);
  EXPECT_LE(std::llabs(d_error), 1500);
}

// A run that fails is retried after a backoff: the task says so, until when, and its next
// run starts no earlier.
TEST(Wait, ABackoffSaysUntilWhenAndHoldsTheNextRunBackTillThen) {
  ServedFlowLine served("name,min_mem\nflaky,1000\n");
  write_file(served.dir().file("work.sh"), "exit 1\n");
  served.start({"--retries", "3", "--stop-runs-on-exit"});
  json flaky;
  ASSERT_TRUE(wait_until([&] {
    flaky = task_named(all_tasks(served), "flaky");
    return flaky["state"] == "backoff";
  }, std::chrono::seconds(60))) << served.output();
  EXPECT_EQ(flaky["wait"]["kind"], "backoff") << flaky.dump();
  EXPECT_EQ(flaky["wait"]["after_oom"], false);
  EXPECT_EQ(flaky["queue_position"], 1);
  const int64_t until = flaky["wait"]["until_ms"].get<int64_t>();
  EXPECT_EQ(flaky["expected_start_ms"], until);  // nothing else holds it
  const json runs_before = served.get_json("/api/v1/tasks/" + flaky["id"].dump())["runs"];
  json runs;
  ASSERT_TRUE(wait_until([&] {
    runs = served.get_json("/api/v1/tasks/" + flaky["id"].dump())["runs"];
    return runs.size() > runs_before.size();
  }, std::chrono::seconds(60))) << served.output();
  int64_t latest = 0;
  for (const json& run : runs) latest = std::max(latest, run["start_ms"].get<int64_t>());
  EXPECT_GE(latest, until);
}

}  // namespace
}  // namespace flowline::testing

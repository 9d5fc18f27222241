#pragma once
// An Executor for engine tests: runs are what the test says they are. A launch can be made to
// fail, an exit can be reported twice or never; nothing is started.
#include <map>
#include <vector>

#include "exec/executor.hpp"

namespace flowline::testing {

class FakeExecutor final : public Executor {
 public:
  std::string kind() const override { return "fake"; }
  int launches_per_pass() const override { return per_pass; }
  Result<RunHandle> launch(const LaunchSpec& spec) override {
    ++launches;
    if (fail_launches > 0) {
      --fail_launches;
      return Error{"fake executor: cannot start the run"};
    }
    live[spec.run_id] = spec;
    return RunHandle{spec.run_id, "fake:" + std::to_string(spec.run_id)};
  }
  Result<RunHandle> adopt(const RunHandle& handle) override {
    live[handle.run_id] = LaunchSpec{};
    return handle;
  }
  Status stop(int64_t run_id) override {
    stops.push_back(run_id);
    return ok_status();
  }
  std::vector<int> wait_fds() const override { return {}; }
  std::vector<RunExit> collect_exits() override {
    std::vector<RunExit> out;
    out.swap(ended_);
    return out;
  }
  std::map<int64_t, int64_t> run_of_session() const override { return {}; }
  RunPlace place(int64_t) const override { return {}; }

  // The run ends with `code`, reported `times` times (0: never told to the engine).
  void end(int64_t run_id, int code, int times = 1) {
    live.erase(run_id);
    RunExit exit = exit_of(run_id);
    exit.exit_code = code;
    for (int i = 0; i < times; ++i) ended_.push_back(exit);
  }
  // The run of the task with this id that is live now; -1 when none.
  int64_t run_of(int64_t task_id) const {
    for (const auto& [run_id, spec] : live)
      if (spec.task_id == task_id) return run_id;
    return -1;
  }

  int fail_launches = 0;  // the next this many launches fail
  int per_pass = 1 << 30;
  int launches = 0;       // launches asked for, failed ones included
  std::map<int64_t, LaunchSpec> live;
  std::vector<int64_t> stops;

 private:
  std::vector<RunExit> ended_;
};

}  // namespace flowline::testing

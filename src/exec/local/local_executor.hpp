#pragma once
// Runs on this machine, each under its own flowline-supervise (see supervisor/supervisor.hpp)
// in a session of its own, so that runs survive FlowLine and a later FlowLine can adopt them.
// Waiting is event-driven: one epoll descriptor becomes readable when a supervisor ends.
// Not thread-safe: the engine's loop thread owns it.
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "exec/executor.hpp"
#include "exec/local/run_files.hpp"
#include "exec/local/run_record.hpp"
#include "exec/local/run_slots.hpp"
#include "exec/local/spawn_protocol.hpp"
#include "exec/local/supervisor_server.hpp"

namespace flowline {

struct LocalExecutorOptions {
  // Holds the slot file of every run's records (<runs_root>/slots, slot_file.hpp); runs started
  // before slots had a directory each, <runs_root>/<run_id>/, which are still adopted.
  std::string runs_root;
  std::string supervisor_path;  // "" = flowline-supervise next to this program
  int64_t grace_ms = 5000;      // SIGTERM → SIGKILL on stop and timeout
  // fsync each exit record. Off by default: the record only has to survive FlowLine's own
  // crash (the page cache does that); after a power loss every run died anyway.
  bool durable_exit_records = false;
  // The most each run's .out and .err may hold (bytes); the rest is dropped with a note in the
  // log (supervisor/capped_log.hpp). 0: no cap.
  int64_t log_limit = 0;
};

// Where flowline-supervise is expected: next to the running executable.
std::string default_supervisor_path();

class LocalExecutor final : public Executor {
 public:
  static Result<std::unique_ptr<LocalExecutor>> create(LocalExecutorOptions options);
  // Closes descriptors only: live runs go on, and a later executor may adopt them.
  ~LocalExecutor() override;
  LocalExecutor(const LocalExecutor&) = delete;
  LocalExecutor& operator=(const LocalExecutor&) = delete;

  std::string kind() const override { return "local"; }
  // The handle's text is the record's (run_record.hpp).
  Result<RunHandle> launch(const LaunchSpec& spec) override;
  Result<RunHandle> adopt(const RunHandle& handle) override;
  Status stop(int64_t run_id) override;
  std::vector<int> wait_fds() const override;
  std::vector<RunExit> collect_exits() override;
  std::map<int64_t, int64_t> run_of_session() const override;
  RunPlace place(int64_t run_id) const override;
  void forget(int64_t run_id) override;

  // The same, with the local record itself (tests, and the handle versions above).
  Result<RunRecord> start(const LaunchSpec& spec);
  Result<RunRecord> readopt(const RunRecord& record);

  const std::string& runs_root() const { return options_.runs_root; }

 private:
  struct Watched {
    RunRecord record;
    int pidfd = -1;
  };

  LocalExecutor(LocalExecutorOptions options, int epoll_fd, int event_fd,
                std::unique_ptr<RunSlots> slots);
  spawn_protocol::Request spawn_request(const LaunchSpec& spec, int64_t slot) const;
  std::vector<std::string> environment(const LaunchSpec& spec) const;
  Result<SupervisorServer::Spawned> spawn_supervisor(const LaunchSpec& spec, int64_t slot);
  void release_stale_claims();
  // Fills in where an adopted run's records are, and says whether that is a run directory of
  // the layout before slots (a FlowLine upgraded while runs were live).
  bool in_run_directory(RunRecord& record) const;
  std::optional<RunExit> read_exit(const RunRecord& record) const;
  std::optional<run_files::PidInfo> read_pid(const RunRecord& record) const;
  std::optional<int64_t> find_supervisor(const RunRecord& record) const;
  // Takes `pidfd` on success; on failure the caller still owns it.
  Status watch(const RunRecord& record, int pidfd);
  RunExit finish(int64_t run_id);
  void report_later(RunExit exit);

  LocalExecutorOptions options_;
  int epoll_fd_;
  int event_fd_;  // wakes the engine for exits known without a supervisor ending (adopt)
  std::vector<std::string> base_env_;  // FlowLine's environment at creation, KEY=VALUE
  std::unique_ptr<RunSlots> slots_;
  std::set<int64_t> in_run_dirs_;  // adopted runs whose records are in a run directory
  std::set<int64_t> adopted_;      // every run readopt() was asked for
  bool stale_claims_released_ = false;
  std::map<int64_t, Watched> watched_;
  std::vector<RunExit> pending_;
  std::unique_ptr<SupervisorServer> server_;  // started at the first launch
};

}  // namespace flowline

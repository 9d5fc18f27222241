#pragma once
// How runs are started and stopped: local processes under a supervisor, or Slurm jobs.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace flowline {

struct LaunchSpec {
  int64_t run_id = 0;
  int64_t task_id = 0;
  std::string command;                     // run as /bin/sh -c command
  std::vector<int> gpus;                   // assigned GPU indices, in placement order
  std::map<std::string, std::string> env;  // added to FlowLine's own environment
  std::string cwd;
  std::string stdout_path;
  std::string stderr_path;
  std::optional<int64_t> timeout_ms;
};

// How a run ended, as recorded by its supervisor.
struct RunExit {
  int64_t run_id = 0;
  std::optional<int> exit_code;  // set when the command exited
  std::optional<int> signal;     // set when it was killed by a signal
  bool timed_out = false;        // stopped because it ran past its timeout
  bool stopped = false;          // stopped on FlowLine's request
  // Nobody knows how it ended: its supervisor is gone without a record (killed, or the
  // machine rebooted), or a recorded pid now belongs to another process. No code, no signal.
  bool lost = false;
  std::string detail;  // why it is lost, for the run's message
  // Processes the command left running when it ended (a daemon, a stray worker), which its
  // supervisor then stopped: said in the run's record, not done in silence.
  int leftovers = 0;
  int64_t started_ms = 0;
  int64_t ended_ms = 0;
};

inline RunExit exit_of(int64_t run_id) {
  RunExit e;
  e.run_id = run_id;
  return e;
}

// What must be kept to find a run again after FlowLine restarts.
struct RunRecord {
  int64_t run_id = 0;
  int64_t supervisor_pid = 0;
  int64_t session_id = 0;  // the run's session: the command and every descendant share it
  std::string run_dir;     // where the supervisor writes the exit status
};

class Executor {
 public:
  virtual ~Executor() = default;
  virtual Result<RunRecord> launch(const LaunchSpec& spec) = 0;
  // Re-attach to a run started by an earlier FlowLine. If it already ended, its exit is
  // reported through the next poll. A run stored before its launch returned (FlowLine died in
  // between) is adopted with supervisor_pid 0 and run_dir "": the executor finds it by its
  // run id, or reports it lost ("never started") if it was never spawned.
  // Returns the record completed with what was found (pid, session, directory).
  virtual Result<RunRecord> adopt(const RunRecord& record) = 0;
  // SIGTERM to the run's process tree, SIGKILL after the grace period. Never touches a
  // process FlowLine did not start.
  virtual Status stop(int64_t run_id) = 0;
  // File descriptors that become readable when a run may have ended (for the engine's poll).
  virtual std::vector<int> wait_fds() const = 0;
  // Exits of runs that ended since the last call; never blocks.
  virtual std::vector<RunExit> collect_exits() = 0;
  // Session ids of live runs: a process whose session is one of these is FlowLine's.
  virtual std::vector<int64_t> live_sessions() const = 0;
  // The run's exit is recorded elsewhere (the store): drop what the executor keeps on disk
  // about it. A no-op for a run still running.
  virtual void forget(int64_t run_id) {}
};

}  // namespace flowline

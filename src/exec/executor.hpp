#pragma once
// How runs are started, watched and stopped: processes on this machine under a supervisor
// (exec/local), or Slurm jobs. What is particular to one of them (pids, sessions, run
// directories, job ids) stays behind this interface: the engine and the store keep only an
// opaque handle per run, and ask the executor what it means.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/run_exit.hpp"

namespace flowline {

struct LaunchSpec {
  int64_t run_id = 0;
  int64_t task_id = 0;
  std::string command;  // run as /bin/sh -c command
  // The GPUs chosen for it, in placement order; empty when the executor places GPUs itself
  // (places_gpus()), which then gives it gpu_count of its own choosing.
  std::vector<int> gpus;
  int gpu_count = 0;
  std::string name;                        // the task's name, for the executor's own listings
  std::map<std::string, std::string> env;  // added to FlowLine's own environment
  std::string cwd;
  std::string stdout_path;
  std::string stderr_path;
  std::optional<int64_t> timeout_ms;
};

// What finds a run again after FlowLine restarts: text that only its executor reads. The
// store keeps it as given and hands it back to adopt(). It begins with the executor's kind
// and a colon ("local:…", "slurm:…"), so that one executor never adopts another's run.
struct RunHandle {
  int64_t run_id = 0;
  std::string text;
};

// Where a run is, for people (ls, ctl, the API, the web UI).
struct RunPlace {
  int64_t session_id = 0;  // a local run's session (its supervisor's pid); 0 for others
  std::string job_id;      // a Slurm job's id
  std::string node;        // the node it runs on; "" when local, or not placed yet
  std::string state;       // the executor's word for it when it has one ("PENDING", …)
  std::string reason;      // why it waits, when the executor knows ("Resources", …)
};

class Executor {
 public:
  virtual ~Executor() = default;
  // The prefix of its handles: "local", "slurm".
  virtual std::string kind() const = 0;
  // True when the executor chooses the GPUs (Slurm): FlowLine then only counts slots, and
  // the GPU feed is not the executor's GPUs.
  virtual bool places_gpus() const { return false; }

  // Starts the run. Its environment gets CUDA_VISIBLE_DEVICES from whoever places the GPUs.
  virtual Result<RunHandle> launch(const LaunchSpec& spec) = 0;
  // Re-attaches to a run started by an earlier FlowLine. If it already ended, its exit is
  // reported through the next collect_exits(). A run stored before its launch returned
  // (FlowLine died in between) has an empty handle: the executor finds it by its run id, or
  // reports it lost ("never started") if it was never started.
  // Returns the handle completed with what was found.
  virtual Result<RunHandle> adopt(const RunHandle& handle) = 0;
  // Ends the run and everything it started (locally SIGTERM, SIGKILL after the grace period).
  // Never touches a process FlowLine did not start.
  virtual Status stop(int64_t run_id) = 0;

  // What wakes the engine: descriptors that become readable when a run may have ended…
  virtual std::vector<int> wait_fds() const = 0;
  // …and, for an executor that has to ask (Slurm), when it next wants collect_exits() called.
  virtual std::optional<Millis> next_poll_ms(Millis now) const { return std::nullopt; }
  // Exits of runs that ended since the last call; never blocks for long.
  virtual std::vector<RunExit> collect_exits() = 0;

  // Which processes on this machine are its runs': the session of each live run's processes,
  // to the run's id. The GPU sampler marks a process in one of these sessions as FlowLine's,
  // and the engine charges its memory to that run. Empty when its runs are elsewhere.
  virtual std::map<int64_t, int64_t> run_of_session() const = 0;
  virtual RunPlace place(int64_t run_id) const = 0;

  // The run's exit is recorded elsewhere (the store): drop what the executor keeps about it.
  // A no-op for a run still running.
  virtual void forget(int64_t run_id) {}
};

// "slurm" of "slurm:123"; "" for an empty handle.
inline std::string handle_kind(const std::string& text) {
  auto colon = text.find(':');
  return colon == std::string::npos ? "" : text.substr(0, colon);
}

}  // namespace flowline

#pragma once
// Commands from a builder that may take long (--cmd-builder), built on threads of their own so
// that the engine's loop keeps answering commands and launching other tasks meanwhile. The
// engine holds each launch's slot and GPU memory under a placeholder run id while it builds
// (Scheduler::forget_launch). Each build is bounded by the builder's own time limit.
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "core/result.hpp"
#include "core/task.hpp"
#include "engine/command_builder.hpp"
#include "engine/wakeup.hpp"

namespace flowline {

class BuildJobs {
 public:
  BuildJobs(CommandBuilder& builder, Wakeup& wakeup) : builder_(builder), wakeup_(wakeup) {}
  ~BuildJobs();  // cancels the builds in flight (CommandBuilder::cancel) and waits for them
  BuildJobs(const BuildJobs&) = delete;
  BuildJobs& operator=(const BuildJobs&) = delete;

  // Builds the command of one launch; `ticket` names it in take_finished(). False when no
  // thread could be started (the caller then builds it itself).
  bool start(int64_t ticket, Task task, std::vector<int> gpus, int64_t run);

  struct Finished {
    int64_t ticket;
    Result<std::string> command;
  };
  // The builds that ended since the last call (the wakeup was notified for each).
  std::vector<Finished> take_finished();

 private:
  CommandBuilder& builder_;
  Wakeup& wakeup_;
  std::mutex mutex_;
  std::map<int64_t, std::thread> threads_;  // by ticket, until joined; the engine's thread only
  std::vector<Finished> finished_;          // guarded by mutex_
};

}  // namespace flowline

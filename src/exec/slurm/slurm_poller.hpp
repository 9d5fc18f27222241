#pragma once
// Asks Slurm about FlowLine's jobs on a thread of its own: one squeue for all of them every
// poll interval (or sinfo, to see whether Slurm answers at all when there are none). A Slurm
// command takes 9 s to fail while the controller is down, and the engine's loop must not wait
// for that. An answer is handed over through a descriptor the engine polls.
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "exec/slurm/job_status.hpp"
#include "exec/slurm/slurm_commands.hpp"

namespace flowline {

class SlurmPoller {
 public:
  struct Answer {
    bool answered = false;       // false: Slurm did not answer; `complaint` says what it said
    std::string complaint;
    std::set<std::string> asked;  // the jobs asked about: one missing from `jobs` is gone
    std::map<std::string, JobStatus> jobs;
  };

  // `commands` must be safe to call from this poller's thread while the owner uses it too.
  SlurmPoller(SlurmCommands& commands, int64_t poll_ms);
  ~SlurmPoller();  // stops the thread, after the command in flight if any
  SlurmPoller(const SlurmPoller&) = delete;
  SlurmPoller& operator=(const SlurmPoller&) = delete;

  int fd() const { return event_fd_; }  // readable when an answer is ready
  // The jobs to ask about from the next poll on (an empty list: polls stop).
  void set_jobs(std::vector<std::string> job_ids);
  // Ask at once, even with no jobs (then only whether Slurm answers).
  void ask_now();
  // The newest answer since the last call, if any.
  std::optional<Answer> take();

 private:
  void loop();
  Answer ask(const std::vector<std::string>& job_ids);

  SlurmCommands& commands_;
  const int64_t poll_ms_;
  int event_fd_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::string> jobs_;
  bool asked_ = false;
  bool stop_ = false;
  std::optional<Answer> answer_;
  std::thread thread_;  // last: started once everything above is ready
};

}  // namespace flowline

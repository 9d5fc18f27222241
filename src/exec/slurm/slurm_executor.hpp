#pragma once
// Runs as Slurm jobs (issue 15): one `sbatch` per run, the command under flowline-supervise
// inside the job, which writes the exit record into the run's directory as a local run's
// supervisor does. Slurm chooses the GPUs. Jobs are followed by one squeue for all of them
// per poll on a thread of its own (slurm_poller.hpp), and sooner by the exit records themselves
// (inotify); a job outlives FlowLine and is adopted again by its id. Not thread-safe: the
// engine's loop thread owns it.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "exec/executor.hpp"
#include "exec/slurm/job_status.hpp"
#include "exec/slurm/slurm_commands.hpp"
#include "exec/slurm/slurm_options.hpp"
#include "exec/slurm/slurm_poller.hpp"

namespace flowline {

class SlurmExecutor final : public Executor {
 public:
  // Asks Slurm once that it answers and that the partition exists: a typo is refused at
  // start, not charged to every task.
  static Result<std::unique_ptr<SlurmExecutor>> create(SlurmOptions options,
                                                       std::unique_ptr<SlurmCommands> commands,
                                                       const Clock& clock);
  ~SlurmExecutor() override;
  SlurmExecutor(const SlurmExecutor&) = delete;
  SlurmExecutor& operator=(const SlurmExecutor&) = delete;

  std::string kind() const override { return "slurm"; }
  bool places_gpus() const override { return true; }
  int launches_per_pass() const override { return 8; }
  Result<RunHandle> launch(const LaunchSpec& spec) override;
  Result<RunHandle> adopt(const RunHandle& handle) override;
  Status stop(int64_t run_id) override;
  std::vector<int> wait_fds() const override { return {inotify_fd_, poller_->fd()}; }
  std::vector<RunExit> collect_exits() override;
  std::map<int64_t, int64_t> run_of_session() const override;
  RunPlace place(int64_t run_id) const override;
  std::optional<std::string> unavailable() override;
  std::string trouble() const override;
  void forget(int64_t run_id) override;

  const SlurmCommands& commands() const { return *commands_; }

 private:
  struct Job {
    std::string id;
    std::string run_dir;
    JobStatus status;
    int watch = -1;           // inotify watch of run_dir
    bool stop_asked = false;  // scancel was sent
    Millis over_since = 0;    // when squeue first said it ended (or forgot it), with no record
    int64_t session = 0;      // its supervisor's session, once read (on this machine only)
  };

  SlurmExecutor(SlurmOptions options, std::unique_ptr<SlurmCommands> commands, const Clock& clock,
                int inotify_fd);
  Result<std::string> prepare_run_dir(int64_t run_id) const;
  Result<std::string> submit(const LaunchSpec& spec, const std::string& run_dir);
  // A job stored before sbatch's answer was (FlowLine died in between): found by its name.
  Result<std::string> find_job_of(int64_t run_id);
  void track(int64_t run_id, Job job);
  void take_exit_records();  // the runs whose directories inotify says changed
  bool take_exit_record(int64_t run_id);  // true when the run ended and was reported
  void apply(const SlurmPoller::Answer& answer);
  void settle_without_record(int64_t run_id, Job& job, Millis now);
  void tell_poller();
  void note_session(Job& job);
  void finish(int64_t run_id, RunExit exit);

  SlurmOptions options_;
  std::unique_ptr<SlurmCommands> commands_;
  const Clock& clock_;
  int inotify_fd_;
  std::map<int64_t, Job> jobs_;
  std::map<int, int64_t> run_of_watch_;
  std::vector<RunExit> ended_;
  std::string unreachable_;  // why Slurm did not answer the last poll; "" when it did
  std::string submit_failed_;  // sbatch could not reach Slurm: "" once a poll is answered
  std::unique_ptr<SlurmPoller> poller_;  // last: its thread uses commands_
};

}  // namespace flowline

#include "exec/slurm/slurm_poller.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>

namespace flowline {

SlurmPoller::SlurmPoller(SlurmCommands& commands, int64_t poll_ms)
    : commands_(commands),
      poll_ms_(poll_ms),
      event_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      thread_([this] { loop(); }) {}

SlurmPoller::~SlurmPoller() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (event_fd_ >= 0) close(event_fd_);
}

void SlurmPoller::set_jobs(std::vector<std::string> job_ids) {
  std::lock_guard lock(mutex_);
  const bool first = jobs_.empty() && !job_ids.empty();
  jobs_ = std::move(job_ids);
  if (first) wake_.notify_all();  // was idle: start the poll interval now
}

void SlurmPoller::ask_now() {
  {
    std::lock_guard lock(mutex_);
    asked_ = true;
  }
  wake_.notify_all();
}

std::optional<SlurmPoller::Answer> SlurmPoller::take() {
  uint64_t count = 0;
  (void)!read(event_fd_, &count, sizeof count);
  std::lock_guard lock(mutex_);
  std::optional<Answer> answer = std::move(answer_);
  answer_.reset();
  return answer;
}

void SlurmPoller::loop() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    if (jobs_.empty() && !asked_)
      wake_.wait(lock, [&] { return stop_ || asked_ || !jobs_.empty(); });
    else
      wake_.wait_for(lock, std::chrono::milliseconds(poll_ms_), [&] { return stop_ || asked_; });
    if (stop_) break;
    asked_ = false;
    const std::vector<std::string> job_ids = jobs_;
    lock.unlock();
    Answer answer = ask(job_ids);
    lock.lock();
    answer_ = std::move(answer);
    const uint64_t one = 1;
    (void)!write(event_fd_, &one, sizeof one);
  }
}

SlurmPoller::Answer SlurmPoller::ask(const std::vector<std::string>& job_ids) {
  Answer answer;
  answer.asked.insert(job_ids.begin(), job_ids.end());
  std::string list;
  for (const std::string& id : job_ids) list += (list.empty() ? "" : ",") + id;
  Result<SlurmReply> reply =
      job_ids.empty() ? commands_.run("sinfo", {"-h", "-o", "%P"})
                      : commands_.run("squeue", {"-h", "-t", "all", "--jobs=" + list, "-o",
                                                 kSqueueFormat});
  // squeue asked about one job it no longer knows says so and fails; about several, it lists
  // the ones it knows.
  const bool unknown_job = reply && reply->exit_code == 1 &&
                           reply->err.find("Invalid job id") != std::string::npos;
  if (!reply) {
    answer.complaint = reply.error().message;
  } else if (!reply->ok() && !unknown_job) {
    answer.complaint = std::string(job_ids.empty() ? "sinfo" : "squeue") + ": " + reply->complaint();
  } else {
    answer.answered = true;
    if (!job_ids.empty()) answer.jobs = parse_squeue(reply->out);
  }
  return answer;
}

}  // namespace flowline

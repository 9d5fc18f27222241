#include "exec/slurm/slurm_executor.hpp"

#include <limits.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "exec/errno_text.hpp"
#include "exec/local/run_dir_records.hpp"
#include "exec/slurm/batch_script.hpp"

namespace flowline {
namespace {

constexpr std::string_view kPrefix = "slurm:";
// A job Slurm says has ended but whose supervisor left no exit record (killed with the job,
// a node lost) is settled from Slurm's state after this long: the record may still be on its
// way (a cancel gives the supervisor its grace period first).
constexpr Millis kRecordGraceMs = 15'000;

std::string handle_text(const std::string& job_id, const std::string& run_dir) {
  return std::string(kPrefix) + job_id + ":" + run_dir;
}

// "123" or "123;cluster" (sbatch --parsable).
std::string job_id_of(const std::string& out) {
  std::string id = out.substr(0, out.find_first_of(";\n"));
  for (char c : id)
    if (c < '0' || c > '9') return "";
  return id;
}

bool is_this_machine(const std::string& node) {
  if (node == "localhost") return true;
  char host[HOST_NAME_MAX + 1] = {};
  return gethostname(host, sizeof host) == 0 && node == host;
}

RunExit exit_from_slurm(int64_t run_id, const std::string& job_id, const JobStatus& status,
                        bool stop_asked) {
  RunExit exit = exit_of(run_id);
  if (status.state == "CANCELLED" && stop_asked) {
    exit.stopped = true;
    exit.signal = SIGTERM;
  } else if (status.state == "TIMEOUT") {
    exit.timed_out = true;
  } else if (status.state == "FAILED" || status.state == "OUT_OF_MEMORY" ||
             status.state == "DEADLINE") {
    // The job itself failed before FlowLine's supervisor could record anything (it could
    // not start, or the node's memory ran out): the task's failure, with the job's stderr.
    exit.exit_code = 1;
  } else {
    exit.lost = true;
    exit.detail = "Slurm job " + job_id + " ended " +
                  (status.state.empty() ? "(Slurm no longer knows it)" : status.state) +
                  " without FlowLine's exit record";
  }
  return exit;
}

}  // namespace

Result<std::unique_ptr<SlurmExecutor>> SlurmExecutor::create(
    SlurmOptions options, std::unique_ptr<SlurmCommands> commands, const Clock& clock) {
  std::vector<std::string> args{"-h", "-o", "%P"};
  if (!options.partition.empty()) args.insert(args.end(), {"-p", options.partition});
  Result<SlurmReply> partitions = commands->run("sinfo", args);
  if (!partitions) return Error{"--executor slurm: " + partitions.error().message};
  if (!partitions->ok())
    return Error{"--executor slurm: Slurm does not answer: " + partitions->complaint()};
  if (partitions->out.empty()) {
    return Error{"--partition " + options.partition + ": no such partition (sinfo lists " +
                 (options.partition.empty() ? "none" : "others") + ")"};
  }
  if (mkdir(options.runs_root.c_str(), 0700) != 0 && errno != EEXIST)
    return Error{"cannot create " + options.runs_root + ": " + errno_text(errno)};
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Error{std::string("inotify: ") + errno_text(errno)};
  return std::unique_ptr<SlurmExecutor>(
      new SlurmExecutor(std::move(options), std::move(commands), clock, fd));
}

SlurmExecutor::SlurmExecutor(SlurmOptions options, std::unique_ptr<SlurmCommands> commands,
                             const Clock& clock, int inotify_fd)
    : options_(std::move(options)),
      commands_(std::move(commands)),
      clock_(clock),
      inotify_fd_(inotify_fd),
      poller_(std::make_unique<SlurmPoller>(*commands_, options_.poll_ms)) {}

SlurmExecutor::~SlurmExecutor() {
  poller_.reset();  // before the commands it uses
  close(inotify_fd_);
}

// Words of Slurm's tools when the controller cannot be reached, as opposed to a job refused.
static bool cannot_reach(const std::string& complaint) {
  for (const char* words : {"Unable to contact", "connect failure", "Socket timed out",
                            "Connection refused", "did not answer", "Zero Bytes"})
    if (complaint.find(words) != std::string::npos) return true;
  return false;
}

Result<std::string> SlurmExecutor::prepare_run_dir(int64_t run_id) const {
  std::string dir = options_.runs_root + "/" + std::to_string(run_id);
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return Error{"cannot create " + dir + ": " + errno_text(errno)};
  // A record left by an earlier attempt under this id would end the new job at once.
  unlink((dir + "/" + run_files::kExitFile).c_str());
  return dir;
}

Result<std::string> SlurmExecutor::submit(const LaunchSpec& spec, const std::string& run_dir) {
  Result<SlurmReply> reply =
      commands_->run("sbatch", sbatch_args(spec, options_), batch_script(spec, options_, run_dir));
  if (!reply || (!reply->ok() && cannot_reach(reply->complaint()))) {
    submit_failed_ = reply ? reply->complaint() : reply.error().message;
    poller_->ask_now();  // to learn when Slurm is back
    return Error{submit_failed_};
  }
  if (!reply->ok()) return Error{"sbatch refused the job: " + reply->complaint()};
  std::string id = job_id_of(reply->out);
  if (id.empty()) return Error{"sbatch answered no job id: '" + reply->out + "'"};
  return id;
}

Result<RunHandle> SlurmExecutor::launch(const LaunchSpec& spec) {
  if (jobs_.count(spec.run_id))
    return Error{"run " + std::to_string(spec.run_id) + " is already submitted"};
  Result<std::string> run_dir = prepare_run_dir(spec.run_id);
  if (!run_dir) return run_dir.error();
  Result<std::string> job_id = submit(spec, *run_dir);
  if (!job_id) return job_id.error();
  Job job;
  job.id = *job_id;
  job.run_dir = *run_dir;
  job.status.state = "PENDING";
  track(spec.run_id, std::move(job));
  return RunHandle{spec.run_id, handle_text(*job_id, *run_dir)};
}

void SlurmExecutor::track(int64_t run_id, Job job) {
  job.watch = inotify_add_watch(inotify_fd_, job.run_dir.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE);
  if (job.watch >= 0) run_of_watch_[job.watch] = run_id;
  jobs_[run_id] = std::move(job);
  tell_poller();
}

void SlurmExecutor::tell_poller() {
  std::vector<std::string> ids;
  ids.reserve(jobs_.size());
  for (const auto& [run_id, job] : jobs_) ids.push_back(job.id);
  poller_->set_jobs(std::move(ids));
}

Result<std::string> SlurmExecutor::find_job_of(int64_t run_id) {
  Result<SlurmReply> reply = commands_->run("squeue", {"-h", "-t", "all", "--me", "-o", "%i|%j"});
  if (!reply) return reply.error();
  if (!reply->ok()) return Error{"squeue: " + reply->complaint()};
  const std::string name = "flowline-" + std::to_string(run_id);
  std::string_view rest = reply->out;
  while (!rest.empty()) {
    std::string_view line = rest.substr(0, rest.find('\n'));
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
    size_t bar = line.find('|');
    if (bar == std::string_view::npos) continue;
    std::string_view job_name = line.substr(bar + 1);
    if (job_name == name || job_name.substr(0, name.size() + 1) == name + "-")
      return std::string(line.substr(0, bar));
  }
  return std::string();
}

Result<RunHandle> SlurmExecutor::adopt(const RunHandle& handle) {
  if (auto it = jobs_.find(handle.run_id); it != jobs_.end())
    return RunHandle{handle.run_id, handle_text(it->second.id, it->second.run_dir)};
  Job job;
  job.run_dir = options_.runs_root + "/" + std::to_string(handle.run_id);
  if (handle.text.empty()) {
    Result<std::string> found = find_job_of(handle.run_id);
    if (!found) return found.error();
    job.id = *found;
  } else if (handle.text.compare(0, kPrefix.size(), kPrefix) == 0) {
    std::string rest = handle.text.substr(kPrefix.size());
    job.id = rest.substr(0, rest.find(':'));
    if (rest.find(':') != std::string::npos) job.run_dir = rest.substr(rest.find(':') + 1);
  } else {
    return Error{"run " + std::to_string(handle.run_id) + " was started by the " +
                 handle_kind(handle.text) + " executor, not by Slurm: '" + handle.text + "'"};
  }
  if (job.id.empty()) {
    RunExit never = exit_of(handle.run_id);
    never.lost = true;
    never.detail = "run " + std::to_string(handle.run_id) + " was never submitted to Slurm";
    ended_.push_back(std::move(never));
    return RunHandle{handle.run_id, ""};
  }
  const std::string text = handle_text(job.id, job.run_dir);
  track(handle.run_id, std::move(job));
  take_exit_record(handle.run_id);  // it may have ended while FlowLine was away
  return RunHandle{handle.run_id, text};
}

Status SlurmExecutor::stop(int64_t run_id) {
  auto it = jobs_.find(run_id);
  if (it == jobs_.end()) return Error{"run " + std::to_string(run_id) + " is not a live job"};
  Result<SlurmReply> reply = commands_->run("scancel", {it->second.id});
  if (!reply) return reply.error();
  if (!reply->ok()) return Error{"scancel " + it->second.id + ": " + reply->complaint()};
  it->second.stop_asked = true;
  poller_->ask_now();  // a pending job leaves no record: see it cancelled at once
  return ok_status();
}

std::vector<RunExit> SlurmExecutor::collect_exits() {
  take_exit_records();
  if (std::optional<SlurmPoller::Answer> answer = poller_->take()) apply(*answer);
  std::vector<RunExit> out;
  out.swap(ended_);
  return out;
}

void SlurmExecutor::take_exit_records() {
  alignas(inotify_event) char buf[16 * 1024];
  std::vector<int64_t> changed;
  for (;;) {
    ssize_t n = read(inotify_fd_, buf, sizeof buf);
    if (n <= 0) break;
    for (char* p = buf; p < buf + n;) {
      auto* event = reinterpret_cast<inotify_event*>(p);
      if (auto it = run_of_watch_.find(event->wd); it != run_of_watch_.end())
        changed.push_back(it->second);
      p += sizeof(inotify_event) + event->len;
    }
  }
  for (int64_t run_id : changed) take_exit_record(run_id);
}

bool SlurmExecutor::take_exit_record(int64_t run_id) {
  auto it = jobs_.find(run_id);
  if (it == jobs_.end()) return false;
  std::optional<RunExit> exit = run_files::read_exit_file(it->second.run_dir);
  if (!exit) return false;
  exit->run_id = run_id;
  finish(run_id, std::move(*exit));
  return true;
}

void SlurmExecutor::finish(int64_t run_id, RunExit exit) {
  auto it = jobs_.find(run_id);
  if (it == jobs_.end()) return;
  if (it->second.watch >= 0) {
    inotify_rm_watch(inotify_fd_, it->second.watch);
    run_of_watch_.erase(it->second.watch);
  }
  jobs_.erase(it);
  ended_.push_back(std::move(exit));
  tell_poller();
}

// What squeue said of every job: states, pending reasons and nodes for people, and the jobs
// that ended without FlowLine hearing of it (a record not seen by inotify, a job killed
// outright, one Slurm forgot).
void SlurmExecutor::apply(const SlurmPoller::Answer& answer) {
  if (!answer.answered) {
    unreachable_ = answer.complaint;
    return;
  }
  unreachable_.clear();
  submit_failed_.clear();
  const Millis now = clock_.now_ms();
  std::vector<int64_t> runs;
  for (const auto& [run_id, job] : jobs_)
    if (answer.asked.count(job.id)) runs.push_back(run_id);
  for (int64_t run_id : runs) {
    auto it = jobs_.find(run_id);
    if (it == jobs_.end()) continue;  // settled by an earlier one of these
    Job& job = it->second;
    auto status = answer.jobs.find(job.id);
    if (status != answer.jobs.end()) job.status = status->second;
    if (status != answer.jobs.end() && job_is_live(job.status.state)) {
      note_session(job);
      continue;
    }
    if (status == answer.jobs.end()) job.status.state.clear();
    if (take_exit_record(run_id)) continue;
    settle_without_record(run_id, job, now);
  }
}

void SlurmExecutor::settle_without_record(int64_t run_id, Job& job, Millis now) {
  if (job.over_since == 0) job.over_since = now;
  // A pending job cancelled never started: no record will come.
  const bool never_ran = job.stop_asked && job.status.node.empty();
  if (!never_ran && now - job.over_since < kRecordGraceMs) return;
  finish(run_id, exit_from_slurm(run_id, job.id, job.status, job.stop_asked));
}

// A job running on this machine: its supervisor's session, so that the GPU sampler counts its
// processes as FlowLine's. A pid from another node would name a stranger here.
void SlurmExecutor::note_session(Job& job) {
  if (job.session > 0 || job.status.state != "RUNNING" || !is_this_machine(job.status.node))
    return;
  if (auto pid = run_files::read_pid_file(job.run_dir)) job.session = pid->pid;
}

std::map<int64_t, int64_t> SlurmExecutor::run_of_session() const {
  std::map<int64_t, int64_t> runs;
  for (const auto& [run_id, job] : jobs_)
    if (job.session > 0) runs[job.session] = run_id;
  return runs;
}

RunPlace SlurmExecutor::place(int64_t run_id) const {
  RunPlace place;
  auto it = jobs_.find(run_id);
  if (it == jobs_.end()) return place;
  const Job& job = it->second;
  place.job_id = job.id;
  place.node = job.status.node;
  place.state = unreachable_.empty() ? job.status.state : "UNKNOWN";
  place.reason = unreachable_.empty() ? job.status.reason : unreachable_;
  if (place.reason == "None") place.reason.clear();
  place.session_id = job.session;
  return place;
}

std::string SlurmExecutor::trouble() const {
  if (unreachable_.empty()) return "";
  return "Slurm does not answer (" + unreachable_ +
         "): the jobs' states are not known until it does; runs that end meanwhile are "
         "recorded from their exit records";
}

// Never waits for Slurm: what the last sbatch and the poller found. While it fails, the
// poller is asked again, so that the engine's next look finds Slurm back.
std::optional<std::string> SlurmExecutor::unavailable() {
  if (submit_failed_.empty()) return std::nullopt;
  poller_->ask_now();
  return "Slurm does not answer (" + submit_failed_ + ")";
}

void SlurmExecutor::forget(int64_t run_id) {
  if (jobs_.count(run_id)) return;
  std::string dir = options_.runs_root + "/" + std::to_string(run_id);
  for (const char* name : {run_files::kPidFile, run_files::kExitFile})
    unlink((dir + "/" + name).c_str());
  rmdir(dir.c_str());
}

}  // namespace flowline

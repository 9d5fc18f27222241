#include "exec/local/local_executor.hpp"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "exec/errno_text.hpp"
#include "exec/local/orphans.hpp"
#include "exec/local/pidfd.hpp"
#include "exec/local/proc.hpp"
#include "exec/local/run_dir_records.hpp"
#include "exec/local/run_files.hpp"
#include "exec/local/supervisor_identity.hpp"
#include "exec/run_environment.hpp"

extern char** environ;

namespace flowline {
namespace {

constexpr uint64_t kEventTag = ~uint64_t{0};  // epoll data of the eventfd (run ids are ≥ 0)

Status make_dirs(const std::string& path) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    std::string prefix = path.substr(0, pos);
    // The owner's only (DESIGN.md §3): a run's directory and logs show its command and output.
    if (mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return Error{"cannot create directory " + prefix + ": " + errno_text(errno)};
    }
  }
  return ok_status();
}

std::string parent_dir(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Opens a run's log for appending, creating its directory if needed. The descriptor is
// close-on-exec: other threads may spawn meanwhile and must not inherit it. The file is made
// 0600 whatever the umask: a run's output is its owner's business only.
Result<int> open_log(const std::string& path) {
  const std::string& target = path.empty() ? std::string("/dev/null") : path;
  const int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;
  int fd = open(target.c_str(), flags, 0600);
  if (fd < 0 && errno == ENOENT) {
    if (auto made = make_dirs(parent_dir(target)); !made) return made.error();
    fd = open(target.c_str(), flags, 0600);
  }
  if (fd < 0) return Error{"cannot open log file " + target + ": " + errno_text(errno)};
  if (!path.empty() && fchmod(fd, 0600) != 0) {
    const int err = errno;
    close(fd);
    return Error{"cannot make log file " + target + " private: " + errno_text(err)};
  }
  if (fd < 3) {  // FlowLine was started with a closed std stream; keep 0-2 for the dup2s
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    close(fd);
    if (moved < 0) return Error{"cannot open log file " + target + ": " + errno_text(errno)};
    fd = moved;
  }
  return fd;
}

// The records of a run started before slots (run_dir_records.hpp).
using run_files::read_exit_file;
using run_files::read_pid_file;

// A run directory's supervisor before its pid file is written: one started by hand names the
// directory on its command line.
std::optional<int64_t> find_supervisor_by_cmdline(const std::string& run_dir) {
  for (pid_t pid : proc::all_pids()) {
    auto args = proc::cmdline(pid);
    for (size_t i = 1; i + 1 < args.size() && args[i] != "--"; ++i) {
      if (args[i] == "--run-dir" && args[i + 1] == run_dir) return pid;
    }
  }
  return std::nullopt;
}

RunExit lost_exit(int64_t run_id, std::string detail) {
  RunExit exit;
  exit.run_id = run_id;
  exit.lost = true;
  exit.detail = std::move(detail);
  return exit;
}

std::string orphan_note(int killed) {
  if (killed == 0) return "";
  return "; its " + std::to_string(killed) + " remaining process(es) were killed";
}


}  // namespace

std::string default_supervisor_path() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return kSupervisorName;
  return parent_dir(std::string(buf, static_cast<size_t>(n))) + "/" + kSupervisorName;
}

Result<std::unique_ptr<LocalExecutor>> LocalExecutor::create(LocalExecutorOptions options) {
  if (options.runs_root.empty()) return Error{"local executor: no runs directory given"};
  if (auto made = make_dirs(options.runs_root); !made) return made.error();
  // Absolute, so that a FlowLine started from elsewhere recognises its supervisors.
  char resolved[PATH_MAX];
  if (!realpath(options.runs_root.c_str(), resolved)) {
    return Error{"cannot resolve runs directory " + options.runs_root + ": " + errno_text(errno)};
  }
  options.runs_root = resolved;
  auto slots = RunSlots::open(options.runs_root, options.durable_exit_records);
  if (!slots) return slots.error();
  if (options.supervisor_path.empty()) options.supervisor_path = default_supervisor_path();
  if (access(options.supervisor_path.c_str(), X_OK) != 0) {
    return Error{"cannot run the supervisor " + options.supervisor_path + ": " + errno_text(errno) +
                 " (it is installed next to the flowline program)"};
  }
  int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0) return Error{"epoll_create1: " + errno_text(errno)};
  int event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kEventTag;
  if (event_fd < 0 || epoll_ctl(epoll_fd, EPOLL_CTL_ADD, event_fd, &ev) != 0) {
    int err = errno;
    close(epoll_fd);
    if (event_fd >= 0) close(event_fd);
    return Error{"eventfd: " + errno_text(err)};
  }
  return std::unique_ptr<LocalExecutor>(
      new LocalExecutor(std::move(options), epoll_fd, event_fd, std::move(*slots)));
}

LocalExecutor::LocalExecutor(LocalExecutorOptions options, int epoll_fd, int event_fd,
                             std::unique_ptr<RunSlots> slots)
    : options_(std::move(options)),
      epoll_fd_(epoll_fd),
      event_fd_(event_fd),
      slots_(std::move(slots)) {
  for (char** e = environ; e && *e; ++e) base_env_.emplace_back(*e);
}

LocalExecutor::~LocalExecutor() {
  for (auto& [id, w] : watched_) close(w.pidfd);
  close(event_fd_);
  close(epoll_fd_);
}

spawn_protocol::Request LocalExecutor::spawn_request(const LaunchSpec& spec, int64_t slot) const {
  spawn_protocol::Request request;
  request.records = slots_->path();
  request.slot = slot;
  request.run_id = spec.run_id;
  request.command = spec.command;
  request.timeout_ms = spec.timeout_ms;
  request.grace_ms = options_.grace_ms;
  request.durable = options_.durable_exit_records;
  request.log_limit = options_.log_limit;
  request.cwd = spec.cwd;
  request.env = environment(spec);
  return request;
}

std::vector<std::string> LocalExecutor::environment(const LaunchSpec& spec) const {
  auto extra = run_environment(spec);
  std::vector<std::string> env;
  env.reserve(base_env_.size() + extra.size());
  for (const auto& entry : base_env_) {
    std::string key = entry.substr(0, entry.find('='));
    if (!extra.count(key)) env.push_back(entry);
  }
  for (const auto& [key, value] : extra) env.push_back(key + "=" + value);
  return env;
}

// The supervisor server forks the run's supervisor, which gets a new session, default signal
// handling, /dev/null as stdin and the run's logs as stdout/stderr (which the command
// inherits). A server that has died (killed by someone) is replaced once.
Result<SupervisorServer::Spawned> LocalExecutor::spawn_supervisor(const LaunchSpec& spec,
                                                                  int64_t slot) {
  struct stat dir{};
  if (!spec.cwd.empty()) {
    int err = stat(spec.cwd.c_str(), &dir) != 0 ? errno : S_ISDIR(dir.st_mode) ? 0 : ENOTDIR;
    if (err)
      return Error{"cannot start run " + std::to_string(spec.run_id) + " in " + spec.cwd + ": " +
                   errno_text(err)};
  }
  auto out = open_log(spec.stdout_path);
  if (!out) return out.error();
  auto err = open_log(spec.stderr_path);
  if (!err) {
    close(*out);
    return err.error();
  }
  const spawn_protocol::Request request = spawn_request(spec, slot);
  SupervisorServer::Spawned spawned{0, -1, EPIPE};
  for (int attempt = 0; attempt < 2 && (spawned.error == EPIPE || spawned.error == ECONNRESET);
       ++attempt) {
    if (attempt > 0 || !server_) {
      server_.reset();
      auto server = SupervisorServer::start(options_.supervisor_path);
      if (!server) {
        close(*out);
        close(*err);
        return server.error();
      }
      server_ = std::move(*server);
    }
    spawned = server_->spawn(request, *out, *err);
  }
  close(*out);
  close(*err);
  if (spawned.error != 0) {
    std::string where = spec.cwd.empty() ? "" : " in " + spec.cwd;
    return Error{"cannot start run " + std::to_string(spec.run_id) + where + " (supervisor " +
                 options_.supervisor_path + "): " + errno_text(spawned.error)};
  }
  return spawned;
}

Result<RunRecord> LocalExecutor::start(const LaunchSpec& spec) {
  if (watched_.count(spec.run_id)) {
    return Error{"run " + std::to_string(spec.run_id) + " is already running"};
  }
  release_stale_claims();
  auto slot = slots_->claim(spec.run_id);
  if (!slot) return slot.error();
  auto spawned = spawn_supervisor(spec, *slot);
  if (!spawned) {
    // Never started (the server answered so), or the server died: a supervisor it may still
    // have started finds the slot no longer its own and writes nothing into it.
    slots_->release(spec.run_id);
    return spawned.error();
  }
  // The supervisor is the server's child, not ours; the pidfd pins it even if it has ended.
  RunRecord record{spec.run_id, spawned->pid, spawned->pid, slots_->handle(*slot)};
  if (Status s = watch(record, spawned->pidfd); !s.ok()) {
    pidfd::send_signal(spawned->pidfd, SIGTERM);  // it must not run unwatched
    close(spawned->pidfd);
    return s.error();
  }
  return record;
}

Status LocalExecutor::watch(const RunRecord& record, int pidfd) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = static_cast<uint64_t>(record.run_id);
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, pidfd, &ev) != 0) {
    return Error{"cannot watch run " + std::to_string(record.run_id) + ": " + errno_text(errno)};
  }
  watched_[record.run_id] = Watched{record, pidfd};
  return ok_status();
}

bool LocalExecutor::in_run_directory(RunRecord& record) const {
  if (!record.run_dir.empty()) return !RunSlots::is_handle(record.run_dir);
  // Stored before its launch returned: its slot's claim, or else its directory, says where.
  if (auto slot = slots_->slot_of(record.run_id)) {
    record.run_dir = slots_->handle(*slot);
    return false;
  }
  std::string dir = options_.runs_root + "/" + std::to_string(record.run_id);
  struct stat st{};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  record.run_dir = std::move(dir);
  return true;
}

std::optional<RunExit> LocalExecutor::read_exit(const RunRecord& record) const {
  auto exit = in_run_dirs_.count(record.run_id) ? read_exit_file(record.run_dir)
                                                : slots_->read_exit(record.run_id);
  if (exit) exit->run_id = record.run_id;
  return exit;
}

std::optional<run_files::PidInfo> LocalExecutor::read_pid(const RunRecord& record) const {
  if (in_run_dirs_.count(record.run_id)) return read_pid_file(record.run_dir);
  return slots_->read_pid(record.run_id);
}

// A supervisor whose pid was never recorded (FlowLine died between spawning it and storing
// its RunRecord): its pid record says who it is; before a run directory's pid file exists,
// the command line of a supervisor started by hand does.
std::optional<int64_t> LocalExecutor::find_supervisor(const RunRecord& record) const {
  if (auto info = read_pid(record)) return info->pid;
  if (in_run_dirs_.count(record.run_id)) return find_supervisor_by_cmdline(record.run_dir);
  return std::nullopt;
}

// A claim left by an earlier FlowLine whose run was not adopted before this FlowLine's first
// launch is one whose end the store already has (that FlowLine died between recording the run
// and forgetting it): nobody will forget it, so it is freed here, once, instead of being kept
// forever. The engine adopts every unfinished run before it launches any.
void LocalExecutor::release_stale_claims() {
  if (stale_claims_released_) return;
  stale_claims_released_ = true;
  for (int64_t run_id : std::set<int64_t>(slots_->found_held()))
    if (!adopted_.count(run_id)) slots_->release(run_id);
}

Result<RunRecord> LocalExecutor::readopt(const RunRecord& given) {
  adopted_.insert(given.run_id);
  if (auto it = watched_.find(given.run_id); it != watched_.end()) return it->second.record;
  RunRecord record = given;
  if (in_run_directory(record)) in_run_dirs_.insert(record.run_id);
  if (record.supervisor_pid <= 0) {
    auto pid = find_supervisor(record);
    if (!pid && !read_exit(record)) {
      const std::string where = record.run_dir.empty() ? slots_->path() : record.run_dir;
      report_later(lost_exit(record.run_id, "run " + std::to_string(record.run_id) +
                                                " never started (no supervisor recorded in " +
                                                where + ")"));
      return record;
    }
    if (pid) record.supervisor_pid = record.session_id = *pid;
  }
  if (auto exit = read_exit(record)) {
    report_later(std::move(*exit));
    return record;
  }
  // Pin the process first, then check who it is: if it is still alive after the check, the
  // pidfd names the process we checked, never a later owner of the pid.
  int fd = record.supervisor_pid > 1 ? pidfd::open(static_cast<pid_t>(record.supervisor_pid)) : -1;
  // Gone: no process has the pid, or the pid is still our supervisor's, ended (reaped by
  // nobody yet, or ending as we look).
  bool supervisor_gone = fd < 0 && errno == ESRCH;
  std::string mismatch =
      fd < 0 ? "supervisor pid " + std::to_string(record.supervisor_pid) + " is not running"
             : supervisor_mismatch(record, read_pid(record));
  if (fd >= 0 && mismatch.empty()) {
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 0) == 0) {
      if (Status s = watch(record, fd); !s.ok()) {
        close(fd);
        return s.error();
      }
      return record;
    }
    mismatch = "supervisor pid " + std::to_string(record.supervisor_pid) + " just ended";
    supervisor_gone = true;
  }
  if (fd >= 0 && !supervisor_gone)
    supervisor_gone = is_unreaped_supervisor(record, read_pid(record));
  if (fd >= 0) close(fd);
  // It may have finished between the first look and now.
  if (auto exit = read_exit(record)) {
    report_later(std::move(*exit));
    return record;
  }
  // Only when the supervisor is gone may its session still hold the run's orphans
  // (a live pid that is not our supervisor is someone else's business).
  int killed = supervisor_gone ? kill_orphans(record.run_id, record.session_id) : 0;
  report_later(lost_exit(record.run_id, "run " + std::to_string(record.run_id) +
                                            " was lost: " + mismatch + " and " + record.run_dir +
                                            " holds no exit record" + orphan_note(killed)));
  return record;
}

void LocalExecutor::report_later(RunExit exit) {
  pending_.push_back(std::move(exit));
  uint64_t one = 1;
  // Cannot fail short of a counter overflow; the engine also calls collect_exits on its own.
  [[maybe_unused]] ssize_t n = write(event_fd_, &one, sizeof one);
}

Status LocalExecutor::stop(int64_t run_id) {
  auto it = watched_.find(run_id);
  if (it == watched_.end()) {
    return Error{"run " + std::to_string(run_id) + " is not running under this FlowLine"};
  }
  // The supervisor takes it from here: SIGTERM to the tree, SIGKILL after the grace period.
  if (pidfd::send_signal(it->second.pidfd, SIGTERM) != 0 && errno != ESRCH) {
    return Error{"cannot stop run " + std::to_string(run_id) + ": " + errno_text(errno)};
  }
  return ok_status();
}

std::vector<int> LocalExecutor::wait_fds() const { return {epoll_fd_}; }

RunExit LocalExecutor::finish(int64_t run_id) {
  auto it = watched_.find(run_id);
  Watched w = it->second;
  watched_.erase(it);
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, w.pidfd, nullptr);
  // Reap it if it is our child (ECHILD for one adopted from an earlier FlowLine).
  siginfo_t info{};
  bool reaped = waitid(P_PIDFD, static_cast<id_t>(w.pidfd), &info, WEXITED | WNOHANG) == 0 &&
                info.si_pid != 0;
  close(w.pidfd);
  if (auto exit = read_exit(w.record)) return *exit;
  int killed = kill_orphans(run_id, w.record.session_id);
  std::string how = "ended";
  if (reaped && info.si_code == CLD_EXITED)
    how = "exited with status " + std::to_string(info.si_status);
  if (reaped && info.si_code != CLD_EXITED)
    how = "was killed by signal " + std::to_string(info.si_status);
  return lost_exit(run_id, "run " + std::to_string(run_id) + " was lost: its supervisor (pid " +
                               std::to_string(w.record.supervisor_pid) + ") " + how +
                               " without recording the run's exit" + orphan_note(killed));
}

std::vector<RunExit> LocalExecutor::collect_exits() {
  uint64_t count = 0;
  [[maybe_unused]] ssize_t n = read(event_fd_, &count, sizeof count);
  std::vector<RunExit> exits = std::move(pending_);
  pending_.clear();
  epoll_event events[64];
  for (;;) {
    int ready = epoll_wait(epoll_fd_, events, 64, 0);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    for (int i = 0; i < ready; ++i) {
      if (events[i].data.u64 == kEventTag) continue;
      int64_t run_id = static_cast<int64_t>(events[i].data.u64);
      if (watched_.count(run_id)) exits.push_back(finish(run_id));
    }
    if (ready < 64) break;
  }
  return exits;
}

void LocalExecutor::forget(int64_t run_id) {
  if (watched_.count(run_id)) return;  // still running: its records are still needed
  if (!in_run_dirs_.erase(run_id)) return slots_->release(run_id);
  std::string dir = options_.runs_root + "/" + std::to_string(run_id);
  for (const std::string name : {run_files::kPidFile, run_files::kExitFile}) {
    unlink((dir + "/" + name).c_str());
    unlink((dir + "/" + name + run_files::kTempSuffix).c_str());  // a run lost before its end
  }
  rmdir(dir.c_str());  // fails harmlessly if something else was put there
}

std::map<int64_t, int64_t> LocalExecutor::run_of_session() const {
  std::map<int64_t, int64_t> runs;
  for (const auto& [id, w] : watched_) runs[w.record.session_id] = id;
  return runs;
}

RunPlace LocalExecutor::place(int64_t run_id) const {
  RunPlace place;
  if (auto it = watched_.find(run_id); it != watched_.end())
    place.session_id = it->second.record.session_id;
  return place;
}

}  // namespace flowline

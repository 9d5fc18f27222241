#include "exec/local/supervisor/supervisor.hpp"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

#include "exec/local/fixed_text.hpp"
#include "exec/local/pidfd.hpp"
#include "exec/local/proc_scan.hpp"
#include "exec/local/run_files.hpp"
#include "exec/local/slot_file.hpp"
#include "exec/local/supervisor/capped_log.hpp"

namespace flowline::supervisor {
namespace {

constexpr int64_t kKillRescanMs = 10;  // while SIGKILLing: new forks are found within this
constexpr int kMaxTreeDepth = 4096;

int64_t clock_ms(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}
int64_t now_mono() { return clock_ms(CLOCK_MONOTONIC); }
int64_t now_wall() { return clock_ms(CLOCK_REALTIME); }

// "flowline-supervise: WHAT[: reason]" on stderr (the run's .err log), without stdio.
void complain(std::string_view what, int err = 0) {
  FixedText<1024> line;
  line << "flowline-supervise: " << what;
  if (err) line << ": " << strerrordesc_np(err);  // static text, unlike strerror's buffer
  line << "\n";
  (void)!write(STDERR_FILENO, line.c_str(), line.size());
}

bool parse_int(const char* s, int64_t& out) {
  const char* end = s + std::strlen(s);
  auto [p, ec] = std::from_chars(s, end, out);
  return ec == std::errc() && p == end && out >= 0;
}

// The signals that ask the supervisor to stop its run.
bool is_stop_signal(int sig) { return sig == SIGTERM || sig == SIGINT || sig == SIGHUP; }

// Live processes found by one walk of the tree or the session.
using StatList = proc::BoundedList<proc::ProcStat>;

// The processes sent SIGTERM already, by pid and start time: each gets it once (a second one
// could interrupt its clean-up handler). Past its capacity a newcomer may get a second one.
class TermedSet {
 public:
  bool insert(pid_t pid, uint64_t start_ticks) {
    for (int i = 0; i < size_; ++i) {
      if (items_[i].pid == pid && items_[i].start_ticks == start_ticks) return false;
    }
    if (size_ < kCapacity) items_[size_++] = {pid, start_ticks};
    return true;
  }

 private:
  static constexpr int kCapacity = 2048;
  struct Seen {
    pid_t pid;
    uint64_t start_ticks;
  };
  Seen items_[kCapacity];
  int size_ = 0;
};

class Supervisor {
 public:
  explicit Supervisor(const RunRequest& request) : request_(request), self_(getpid()) {}

  int run() {
    if (!set_up()) return 1;
    exit_.started_ms = now_wall();
    if (request_.timeout_ms >= 0) timeout_deadline_ = now_mono() + request_.timeout_ms;
    if (request_.cannot_start) {
      complain(request_.cannot_start);
      main_done_ = true;
      exit_.exit_code = 127;
    } else if (!spawn_command()) {
      main_done_ = true;
      exit_.exit_code = 127;  // what a shell reports for a command it cannot run
    }
    loop();
    for (CappedLog& log : logs_) log.finish();
    exit_.ended_ms = now_wall();
    int err = write_record(run_files::kExitFile, run_files::format_exit(exit_), request_.durable);
    if (err) return complain_about_file(run_files::kExitFile, err), 1;
    return 0;
  }

 private:
  enum class Phase { kRunning, kTerminating, kKilling };

  bool in_slot() const { return request_.slot >= 0; }

  void complain_about_file(const char* name, int err) const {
    FixedText<PATH_MAX + 64> what;
    if (in_slot())
      what << "cannot write the " << name << " record of run " << request_.run_id << " in "
           << request_.records << " (slot " << request_.slot << ")";
    else
      what << "cannot write " << request_.run_dir << "/" << name;
    complain(what, err);
  }

  // Writes the pid or exit record (`name`: run_files::kPidFile or kExitFile). In a slot, only
  // while the slot is still this run's: a supervisor that outlived its run's record (FlowLine
  // gave the run up as lost and released the slot) must not write over another run's.
  int write_record(const char* name, std::string_view text, bool sync) const {
    if (!in_slot()) return run_files::write_atomically(request_.run_dir, name, text, sync);
    if (slot_file::claimant(records_fd_, request_.slot) != request_.run_id) return ESTALE;
    const auto region = std::strcmp(name, run_files::kPidFile) == 0 ? slot_file::Region::kPid
                                                                    : slot_file::Region::kExit;
    return slot_file::write_region(records_fd_, request_.slot, region, request_.run_id, text, sync);
  }

  bool set_up() {
    // Own session (the server's clone or FlowLine's posix_spawn normally made it already).
    if (getsid(0) != self_ && setsid() < 0) return complain("setsid", errno), false;
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
      return complain("PR_SET_CHILD_SUBREAPER", errno), false;
    // FlowLine's and the server's descriptors are close-on-exec, but a library may have leaked
    // one: the run must not hold FlowLine's lock file or sockets.
    close_range(3, ~0U, 0);
    sigset_t mask;
    sigemptyset(&mask);
    for (int sig : {SIGCHLD, SIGTERM, SIGINT, SIGHUP}) sigaddset(&mask, sig);
    if (sigprocmask(SIG_BLOCK, &mask, nullptr) != 0) return complain("sigprocmask", errno), false;
    signal_fd_ = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    if (signal_fd_ < 0) return complain("signalfd", errno), false;
    if (capped()) {
      for (int i = 0; i < 2; ++i)
        if (int err = logs_[i].open(i + 1, request_.log_limit)) return complain("pipe", err), false;
    }
    if (in_slot()) {
      records_fd_ = open(request_.records, O_RDWR | O_CLOEXEC);
      if (records_fd_ < 0) return complain_about_file(run_files::kPidFile, errno), false;
    }
    proc::ProcStat stat;
    run_files::PidInfo info{self_, proc::read_stat(self_, stat) ? stat.start_ticks : 0};
    int err = write_record(run_files::kPidFile, run_files::format_pid(info), false);
    if (err) return complain_about_file(run_files::kPidFile, err), false;
    // A slot's space was allocated when FlowLine claimed it. A run directory's exit record
    // gets its space now, best effort: without it the record is still written if there is room.
    if (!in_slot())
      (void)run_files::reserve(request_.run_dir, run_files::kExitFile,
                               sizeof(run_files::RecordText));
    return true;
  }

  bool spawn_command() {
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    // No POSIX_SPAWN_SETSIGDEF: every disposition here is already the default (see
    // reset_signal_dispositions), and asking glibc to reset them costs 64 system calls a run.
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setpgroup(&attr, 0);  // a process group of its own, inside our session
    posix_spawnattr_setsigmask(&attr, &none);
    char sh[] = "sh", dash_c[] = "-c";
    char* argv[] = {sh, dash_c, const_cast<char*>(request_.command), nullptr};  // not written
    int saved[2] = {-1, -1};
    int err = capped() ? lend_streams(saved) : 0;
    if (!err) err = posix_spawn(&main_, "/bin/sh", nullptr, &attr, argv, request_.envp);
    if (capped()) take_back_streams(saved);
    posix_spawnattr_destroy(&attr);
    if (err) complain("cannot start /bin/sh", err);
    return err == 0;
  }

  bool capped() const { return request_.log_limit > 0; }

  // Puts the capped logs' pipes on stdout and stderr for the command to inherit, the log files
  // kept aside in `saved` (spawn file actions would allocate). Returns 0 or an errno.
  int lend_streams(int saved[2]) {
    for (int i = 0; i < 2; ++i) {
      saved[i] = fcntl(i + 1, F_DUPFD_CLOEXEC, 3);
      if (saved[i] < 0 || dup2(logs_[i].write_end(), i + 1) < 0) return errno;
    }
    return 0;
  }

  // The log files back on stdout and stderr (for complain()); only the command writes into
  // the pipes, so that they end when its last process does.
  void take_back_streams(int saved[2]) {
    for (int i = 0; i < 2; ++i) {
      if (saved[i] >= 0) {
        dup2(saved[i], i + 1);
        close(saved[i]);
      }
      logs_[i].close_write_end();
    }
  }

  void loop() {
    for (;;) {
      reap_children();
      if (main_done_) {
        const int left = count_descendants();
        if (left == 0) return;
        // The command ended but left processes behind (workers holding GPU memory).
        if (phase_ == Phase::kRunning) {
          note_leftovers(left);
          begin_termination();
        }
      }
      int64_t now = now_mono();
      if (phase_ == Phase::kRunning && timeout_deadline_ >= 0 && now >= timeout_deadline_) {
        exit_.timed_out = true;
        begin_termination();
      }
      if (phase_ == Phase::kTerminating && now >= grace_deadline_) phase_ = Phase::kKilling;
      if (phase_ == Phase::kTerminating) signal_tree(SIGTERM);  // newcomers only
      if (phase_ == Phase::kKilling) signal_tree(SIGKILL);
      wait_for_event(next_timeout_ms(now));
    }
  }

  int next_timeout_ms(int64_t now) const {
    int64_t deadline = -1;
    if (phase_ == Phase::kRunning) deadline = timeout_deadline_;
    if (phase_ == Phase::kTerminating) deadline = grace_deadline_;
    if (phase_ == Phase::kKilling) deadline = now + kKillRescanMs;
    if (deadline < 0) return -1;
    return static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(deadline - now, 1 << 30)));
  }

  void wait_for_event(int timeout_ms) {
    // A stream that has ended has fd -1, which poll skips.
    pollfd fds[3] = {{signal_fd_, POLLIN, 0},
                     {logs_[0].read_end(), POLLIN, 0},
                     {logs_[1].read_end(), POLLIN, 0}};
    if (poll(fds, 3, timeout_ms) <= 0) return;
    for (int i = 0; i < 2; ++i)
      if (fds[i + 1].revents) logs_[i].pump();
    if (!fds[0].revents) return;
    signalfd_siginfo info;
    while (read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
      int sig = static_cast<int>(info.ssi_signo);
      if (!is_stop_signal(sig) || phase_ != Phase::kRunning) continue;
      if (!main_done_) exit_.stopped = true;
      begin_termination();
    }
  }

  void begin_termination() {
    phase_ = Phase::kTerminating;
    grace_deadline_ = now_mono() + request_.grace_ms;
    signal_tree(SIGTERM);
  }

  void reap_children() {
    int status = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid != main_) continue;  // an orphan that came back to us: nothing to record
      main_done_ = true;
      if (WIFEXITED(status)) exit_.exit_code = WEXITSTATUS(status);
      if (WIFSIGNALED(status)) exit_.signal = WTERMSIG(status);
    }
  }

  // Live descendants, found by walking /proc children lists from ourselves down. As a
  // subreaper we get every orphan of the tree back, so the walk sees double-forked daemons.
  void add_descendants(StatList& found) const {
    proc::PidList frontier;
    frontier.add(self_);
    while (frontier.size > 0) {
      const pid_t parent = frontier.pop();
      proc::PidList kids;
      proc::add_children(parent, kids);
      for (pid_t kid : kids) {
        proc::ProcStat stat;
        if (!proc::read_stat(kid, stat) || proc::is_dead(stat)) continue;
        if (!found.add(stat)) return;  // the rest on the next pass
        frontier.add(kid);
      }
    }
  }

  int count_descendants() const {
    StatList found;
    add_descendants(found);
    return static_cast<int>(found.size);
  }

  // Killing what the command left behind is said in the run's .err (after what the command
  // wrote there) and kept in its exit record, for the run's record.
  void note_leftovers(int count) {
    exit_.leftovers = count;
    logs_[1].pump();
    FixedText<160> what;
    what << "the command ended but left " << count
         << (count == 1 ? " process" : " processes") << " running; stopping "
         << (count == 1 ? "it" : "them") << " (SIGTERM, then SIGKILL)";
    complain(what);
  }

  // Processes of our session that the walk may have missed (only on the stop path: a /proc
  // scan costs too much for every run).
  void add_session_members(StatList& found) const {
    proc::for_each_process([&](pid_t pid) {
      proc::ProcStat stat;
      if (pid != self_ && proc::read_stat(pid, stat) && stat.session == self_ && !proc::is_dead(stat))
        found.add(stat);
    });
  }

  bool is_descendant(pid_t pid) const {
    for (int depth = 0; depth < kMaxTreeDepth && pid > 1; ++depth) {
      proc::ProcStat stat;
      if (!proc::read_stat(pid, stat)) return false;
      if (stat.ppid == self_) return true;
      pid = stat.ppid;
    }
    return false;
  }

  // Sends `sig` to the command's group and to every descendant and session member. SIGTERM
  // goes once to each process.
  void signal_tree(int sig) {
    if (!main_done_) {
      // The group id is main_'s pid, which cannot be reused before we reap main_.
      kill(-main_, sig);
      if (sig == SIGTERM) kill(-main_, SIGCONT);
    }
    StatList targets;
    add_descendants(targets);
    add_session_members(targets);
    for (const auto& s : targets) {
      if (sig == SIGTERM && !termed_.insert(s.pid, s.start_ticks)) continue;
      signal_own(s.pid, sig);
    }
  }

  // Signals `pid` only if it is ours: the pidfd pins the process, and it is checked to be in
  // our session or below us after pinning, so a pid reused by a stranger is never signalled.
  void signal_own(pid_t pid, int sig) const {
    int fd = pidfd::open(pid);
    if (fd < 0) return;
    proc::ProcStat stat;
    if (proc::read_stat(pid, stat) && (stat.session == self_ || is_descendant(pid))) {
      pidfd::send_signal(fd, sig);
      if (sig == SIGTERM) pidfd::send_signal(fd, SIGCONT);  // a stopped one too
    }
    close(fd);
  }

  const RunRequest& request_;
  const pid_t self_;
  int signal_fd_ = -1;
  int records_fd_ = -1;  // the slot file; closed by the supervisor's end
  pid_t main_ = -1;
  bool main_done_ = false;
  Phase phase_ = Phase::kRunning;
  int64_t timeout_deadline_ = -1;
  int64_t grace_deadline_ = -1;
  TermedSet termed_;
  RunExit exit_;
  CappedLog logs_[2];  // stdout, stderr; unused without a cap
};

}  // namespace

void reset_signal_dispositions() {
  struct sigaction action{};
  action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &action, nullptr);  // EINVAL: reserved
  }
}

std::optional<Options> parse_args(int argc, char** argv, std::string& error) {
  Options o;
  int i = 1;
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    bool has_value = i + 1 < argc;
    int64_t n = 0;
    if (arg == "--durable") {
      o.durable = true;
    } else if (arg == "--run-dir" && has_value) {
      o.run_dir = argv[++i];
    } else if (arg == "--timeout-ms" && has_value && parse_int(argv[i + 1], n)) {
      o.timeout_ms = n;
      ++i;
    } else if (arg == "--grace-ms" && has_value && parse_int(argv[i + 1], n)) {
      o.grace_ms = n;
      ++i;
    } else if (arg == "--log-limit" && has_value && parse_int(argv[i + 1], n)) {
      o.log_limit = n;
      ++i;
    } else {
      error = "bad argument '" + arg + "'";
      return std::nullopt;
    }
  }
  if (i + 2 != argc) {
    error = "expected exactly one COMMAND after --";
    return std::nullopt;
  }
  if (o.run_dir.empty()) {
    error = "--run-dir is required";
    return std::nullopt;
  }
  o.command = argv[i + 1];
  return o;
}

int supervise(const RunRequest& request) { return Supervisor(request).run(); }

}  // namespace flowline::supervisor

#include "gpu/sim/sim_state.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace flowline::sim {

namespace {

constexpr const char* kHeader = "flowline-sim-state 1";

const char* kind_name(SimProcessKind kind) {
  switch (kind) {
    case SimProcessKind::kGraphics:
      return "graphics";
    case SimProcessKind::kBoth:
      return "both";
    default:
      return "compute";
  }
}

bool parse_kind(const std::string& word, SimProcessKind& kind) {
  if (word == "compute")
    kind = SimProcessKind::kCompute;
  else if (word == "graphics")
    kind = SimProcessKind::kGraphics;
  else if (word == "both")
    kind = SimProcessKind::kBoth;
  else
    return false;
  return true;
}

bool parse_gpu_field(const std::string& word, int& gpu) {
  if (word == "*") {
    gpu = kAllGpus;
    return true;
  }
  char* end = nullptr;
  long value = std::strtol(word.c_str(), &end, 10);
  if (end == word.c_str() || *end || value < 0 || value > 4096) return false;
  gpu = static_cast<int>(value);
  return true;
}

bool parse_line(const std::string& line, SimState& state) {
  std::istringstream in(line);
  std::string kind;
  in >> kind;
  if (kind == "gpu") {
    SimGpu g;
    in >> g.index >> g.total_mib >> g.utilization >> g.temperature >> g.power_w >>
        g.power_limit_w >> g.uuid;
    if (!in || g.index < 0 || g.total_mib < 0) return false;
    state.gpus.push_back(g);
  } else if (kind == "alloc") {
    SimAllocation a;
    in >> a.pid >> a.gpu >> a.mib;
    if (!in) return false;
    if (!(in >> a.start)) a.start = 0;  // written by an older FlowLine: pid only
    state.allocations.push_back(a);
  } else if (kind == "foreign") {
    SimForeign f;
    std::string how;
    in >> f.pid >> f.gpu >> f.mib >> how;
    if (!in || !parse_kind(how, f.kind)) return false;
    state.foreign.push_back(f);
  } else if (kind == "error") {
    SimError e;
    std::string gpu;
    in >> gpu >> e.function >> e.code;
    if (!in || !parse_gpu_field(gpu, e.gpu)) return false;
    state.errors.push_back(e);
  } else {
    return false;
  }
  return true;
}

// An exclusive flock on <dir>/lock, released on destruction.
class DirLock {
 public:
  explicit DirLock(const std::string& dir)
      : fd_(::open((dir + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ >= 0) {
      while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
      }
    }
  }
  ~DirLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

Status write_atomically(const std::string& path, const std::string& text) {
  std::string temp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error{temp + ": " + std::strerror(errno)};
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      return Error{temp + ": " + why};
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0 || ::rename(temp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    return Error{path + ": " + why};
  }
  return ok_status();
}

}  // namespace

std::string state_file(const std::string& dir) { return dir + "/gpus.state"; }

Result<SimState> parse_state(const std::string& text) {
  SimState state;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      if (line != kHeader) return Error{"line 1: expected '" + std::string(kHeader) + "'"};
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    if (!parse_line(line, state))
      return Error{"line " + std::to_string(number) + ": cannot read '" + line + "'"};
  }
  if (number == 0) return Error{"empty state file"};
  return state;
}

std::string format_state(const SimState& state) {
  std::ostringstream out;
  out << kHeader << '\n';
  for (const auto& g : state.gpus)
    out << "gpu " << g.index << ' ' << g.total_mib << ' ' << g.utilization << ' ' << g.temperature
        << ' ' << g.power_w << ' ' << g.power_limit_w << ' ' << g.uuid << '\n';
  for (const auto& a : state.allocations)
    out << "alloc " << a.pid << ' ' << a.gpu << ' ' << a.mib << ' ' << a.start << '\n';
  for (const auto& f : state.foreign)
    out << "foreign " << f.pid << ' ' << f.gpu << ' ' << f.mib << ' ' << kind_name(f.kind) << '\n';
  for (const auto& e : state.errors)
    out << "error " << (e.gpu == kAllGpus ? std::string("*") : std::to_string(e.gpu)) << ' '
        << e.function << ' ' << e.code << '\n';
  return out.str();
}

Result<SimState> load_state(const std::string& dir) {
  std::string path = state_file(dir);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{path + ": " + std::strerror(errno)};
  std::string text;
  char buffer[8192];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, n);
  ::close(fd);
  if (n < 0) return Error{path + ": read failed"};
  auto state = parse_state(text);
  if (!state) return Error{path + ": " + state.error().message};
  return state;
}

std::optional<uint64_t> process_start_time(int64_t pid) {
  if (pid <= 0) return std::nullopt;
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%lld/stat", static_cast<long long>(pid));
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buffer[1024];
  ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  buffer[n] = '\0';
  const char* close = std::strrchr(buffer, ')');  // the command name may hold ')' and spaces
  if (!close) return std::nullopt;
  char state = 0;
  unsigned long long start = 0;
  // Fields 3 (state) to 22 (starttime).
  if (std::sscanf(close + 1,
                  " %c %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s"
                  " %llu",
                  &state, &start) != 2)
    return std::nullopt;
  if (state == 'Z' || state == 'X') return std::nullopt;
  return start;
}

bool process_alive(int64_t pid, uint64_t start) {
  auto actual = process_start_time(pid);
  return actual && (start == 0 || *actual == start);
}

int64_t used_mib(const SimState& state, int gpu) {
  int64_t used = 0;
  for (const auto& a : state.allocations)
    if (a.gpu == gpu && process_alive(a.pid, a.start)) used += a.mib;
  for (const auto& f : state.foreign)
    if (f.gpu == gpu && f.mib > 0) used += f.mib;
  return used;
}

int injected_error(const SimState& state, int gpu, const std::string& function) {
  for (const auto& e : state.errors)
    if ((e.gpu == kAllGpus || e.gpu == gpu) && (e.function == "*" || e.function == function))
      return e.code;
  return 0;
}

Status update_state(const std::string& dir, const std::function<Status(SimState&)>& change) {
  DirLock lock(dir);
  if (!lock.ok()) return Error{dir + "/lock: " + std::strerror(errno)};
  SimState state;
  if (::access(state_file(dir).c_str(), F_OK) == 0) {
    auto loaded = load_state(dir);
    if (!loaded) return loaded.error();
    state = std::move(*loaded);
  }
  auto& allocations = state.allocations;
  allocations.erase(
      std::remove_if(allocations.begin(), allocations.end(),
                     [](const SimAllocation& a) { return !process_alive(a.pid, a.start); }),
      allocations.end());
  if (auto status = change(state); !status) return status;
  return write_atomically(state_file(dir), format_state(state));
}

}  // namespace flowline::sim

#include "gpu/sim/sim_job.hpp"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <vector>

namespace flowline::sim {

namespace {

// PyTorch's format_size: two decimals, bytes/KiB/MiB/GiB.
std::string format_size(uint64_t bytes) {
  char text[64];
  if (bytes <= 1024)
    std::snprintf(text, sizeof text, "%llu bytes", (unsigned long long)bytes);
  else if (bytes <= 1048576)
    std::snprintf(text, sizeof text, "%.2f KiB", bytes / 1024.0);
  else if (bytes <= 1073741824ULL)
    std::snprintf(text, sizeof text, "%.2f MiB", bytes / 1048576.0);
  else
    std::snprintf(text, sizeof text, "%.2f GiB", bytes / 1073741824.0);
  return text;
}

uint64_t bytes(int64_t mib) { return static_cast<uint64_t>(mib < 0 ? 0 : mib) * 1048576ULL; }

// CUDA_VISIBLE_DEVICES: unset means every GPU (the job uses the first, cuda:0); entries are
// indices or UUIDs; as in CUDA, parsing stops at the first entry that names no GPU.
std::vector<int> visible_gpus(const SimState& state) {
  const char* env = std::getenv("CUDA_VISIBLE_DEVICES");
  if (!env) return state.gpus.empty() ? std::vector<int>{} : std::vector<int>{0};
  std::vector<int> gpus;
  std::stringstream in(env);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::optional<int> found;
    for (const SimGpu& g : state.gpus)
      if (item == g.uuid || item == std::to_string(g.index)) found = g.index;
    if (!found) break;
    gpus.push_back(*found);
  }
  return gpus;
}

struct Shortfall {
  int ordinal = 0;
  int64_t total = 0;
  int64_t free = 0;
  std::vector<std::pair<int64_t, int64_t>> others;
};

Shortfall describe_shortfall(const SimState& state, int gpu, int ordinal) {
  Shortfall s;
  s.ordinal = ordinal;
  for (const SimGpu& g : state.gpus)
    if (g.index == gpu) s.total = g.total_mib;
  s.free = std::max<int64_t>(0, s.total - used_mib(state, gpu));
  for (const auto& a : state.allocations)
    if (a.gpu == gpu) s.others.emplace_back(a.pid, a.mib);
  for (const auto& f : state.foreign)
    if (f.gpu == gpu) s.others.emplace_back(f.pid, f.mib);
  return s;
}

Status release(const std::string& dir) {
  int64_t self = ::getpid();
  return update_state(dir, [&](SimState& state) {
    std::erase_if(state.allocations, [&](const SimAllocation& a) { return a.pid == self; });
    return ok_status();
  });
}

// Waits until the deadline or a stop signal; returns the signal, or 0 at the deadline.
int hold(const sigset_t& stop_signals, double seconds) {
  struct timespec start {};
  clock_gettime(CLOCK_MONOTONIC, &start);
  double end = start.tv_sec + start.tv_nsec / 1e9 + seconds;
  while (true) {
    struct timespec now {};
    clock_gettime(CLOCK_MONOTONIC, &now);
    double left = end - (now.tv_sec + now.tv_nsec / 1e9);
    if (left <= 0) return 0;
    struct timespec wait {};
    wait.tv_sec = static_cast<time_t>(left);
    wait.tv_nsec = static_cast<long>((left - std::floor(left)) * 1e9);
    int sig = sigtimedwait(&stop_signals, nullptr, &wait);
    if (sig > 0) return sig;
    if (errno != EAGAIN && errno != EINTR) return 0;
  }
}

}  // namespace

std::string torch_oom_message(int64_t tried_mib, int device_ordinal, int64_t total_mib,
                              int64_t free_mib,
                              const std::vector<std::pair<int64_t, int64_t>>& others) {
  std::string text = "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate " +
                     format_size(bytes(tried_mib)) + ". GPU " + std::to_string(device_ordinal) +
                     " has a total capacity of " + format_size(bytes(total_mib)) + " of which " +
                     format_size(bytes(free_mib)) + " is free. ";
  for (const auto& [pid, mib] : others)
    if (mib >= 0)
      text +=
          "Process " + std::to_string(pid) + " has " + format_size(bytes(mib)) + " memory in use. ";
  text +=
      "Including non-PyTorch memory, this process has 0 bytes memory in use. Of the allocated "
      "memory 0 bytes is allocated by PyTorch, and 0 bytes is reserved by PyTorch but "
      "unallocated. If reserved but unallocated memory is large try setting "
      "PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See "
      "documentation for Memory Management  "
      "(https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)";
  return text;
}

int run_sim_job(const SimJobOptions& options) {
  const char* dir_env = std::getenv("FLOWLINE_SIM_STATE");
  if (!dir_env || !*dir_env) {
    std::fprintf(stderr,
                 "sim-job: FLOWLINE_SIM_STATE is not set: run it under `flowline ... "
                 "--sim-gpus SPEC`, which creates the simulated GPUs\n");
    return 2;
  }
  std::string dir = dir_env;
  // Block the stop signals before claiming, so that none is lost between claim and hold.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&stop_signals, sig);
  sigprocmask(SIG_BLOCK, &stop_signals, nullptr);

  std::vector<int> gpus;
  std::optional<Shortfall> shortfall;
  int64_t self = ::getpid();
  Status claimed = update_state(dir, [&](SimState& state) -> Status {
    gpus = visible_gpus(state);
    if (gpus.empty()) return Error{"RuntimeError: No CUDA GPUs are available"};
    std::vector<int64_t> taken;
    for (size_t i = 0; i < gpus.size(); ++i) {
      Shortfall s = describe_shortfall(state, gpus[i], static_cast<int>(i));
      if (s.free < options.mib && !shortfall) shortfall = s;
      taken.push_back(std::min(s.free, options.mib));
    }
    if (shortfall && options.grow_seconds <= 0) return Error{"out of memory"};
    uint64_t start = process_start_time(self).value_or(0);
    for (size_t i = 0; i < gpus.size(); ++i)
      if (taken[i] > 0) state.allocations.push_back({self, gpus[i], taken[i], start});
    return ok_status();
  });
  if (claimed && shortfall) {  // --grow: it holds what was free, then dies
    int sig = hold(stop_signals, options.grow_seconds);
    (void)release(dir);
    if (sig) return 128 + sig;
    claimed = Error{"out of memory"};
  }
  if (!claimed) {
    std::fprintf(stderr, "flowline sim-job (simulated GPUs, %s)\n", dir.c_str());
    if (shortfall)
      std::fprintf(stderr, "%s\n",
                   torch_oom_message(options.mib, shortfall->ordinal, shortfall->total,
                                     shortfall->free, shortfall->others)
                       .c_str());
    else
      std::fprintf(stderr, "%s\n", claimed.error().message.c_str());
    return 1;
  }
  std::printf("sim-job %lld: holding %lld MiB on simulated GPU(s)", static_cast<long long>(self),
              static_cast<long long>(options.mib));
  for (int gpu : gpus) std::printf(" %d", gpu);
  std::printf(" for %g s\n", options.seconds);
  std::fflush(stdout);
  int sig = hold(stop_signals, options.seconds);
  if (auto released = release(dir); !released)
    std::fprintf(stderr, "sim-job: could not release memory: %s\n",
                 released.error().message.c_str());
  return sig ? 128 + sig : options.exit_code;
}

}  // namespace flowline::sim

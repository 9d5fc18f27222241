// CPU cost of sampling 8 simulated GPUs through the real NVML code path, and the sampler's
// idle CPU at 1 Hz. Usage: bench_gpus [SAMPLES=2000] [IDLE_SECONDS=10]
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "core/system_clock.hpp"
#include "gpu/nvml/nvml_gpu_source.hpp"
#include "gpu/sampler.hpp"
#include "gpu/sim/sim_setup.hpp"
#include "gpu/sim/sim_state.hpp"

namespace {

double cpu_seconds() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

double wall_seconds() {
  struct timespec now {};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace flowline;
  int samples = argc > 1 ? std::atoi(argv[1]) : 2000;
  int idle_seconds = argc > 2 ? std::atoi(argv[2]) : 10;
  char pattern[] = "/tmp/flowline-bench-gpus-XXXXXX";
  if (!mkdtemp(pattern)) return 1;
  std::string dir = pattern;
  auto setup = sim::setup_sim_gpus("8x24000", dir, std::string(FLOWLINE_SIM_NVML));
  if (!setup) {
    std::fprintf(stderr, "%s\n", setup.error().message.c_str());
    return 1;
  }
  // Two processes per GPU: this one (a FlowLine-like job) and another user's.
  (void)sim::update_state(dir, [](sim::SimState& s) {
    for (int g = 0; g < 8; ++g) {
      s.allocations.push_back({getpid(), g, 1000});
      s.foreign.push_back({1, g, 2000, sim::SimProcessKind::kCompute});
    }
    return ok_status();
  });
  auto source = NvmlGpuSource::open();
  if (!source) {
    std::fprintf(stderr, "%s\n", source.error().message.c_str());
    return 1;
  }
  {
    auto raw = NvmlGpuSource::open();  // the NVML calls alone, without /proc lookups
    if (!raw) return 1;
    for (int i = 0; i < 50; ++i) (void)(*raw)->sample();
    double cpu0 = cpu_seconds();
    for (int i = 0; i < samples; ++i) (void)(*raw)->sample();
    std::printf("NvmlGpuSource::sample() alone, 8 simulated GPUs: CPU %.1f us/sample\n",
                (cpu_seconds() - cpu0) / samples * 1e6);
  }
  SystemClock clock;
  SamplerOptions options;
  Sampler sampler(std::move(*source), clock, options);
  sampler.set_flowline_sessions({getsid(0)});
  for (int i = 0; i < 50; ++i) sampler.sample_now();  // warm caches

  double cpu0 = cpu_seconds(), wall0 = wall_seconds();
  for (int i = 0; i < samples; ++i) sampler.sample_now();
  double cpu = cpu_seconds() - cpu0, wall = wall_seconds() - wall0;
  std::printf("sample of 8 simulated GPUs (NVML + /proc owners), %d samples:\n", samples);
  std::printf("  CPU  %.1f us/sample\n  wall %.1f us/sample\n", cpu / samples * 1e6,
              wall / samples * 1e6);

  if (idle_seconds > 0) {
    cpu0 = cpu_seconds();
    sampler.start();
    std::this_thread::sleep_for(std::chrono::seconds(idle_seconds));  // a benchmark, not a test
    sampler.stop();
    cpu = cpu_seconds() - cpu0;
    std::printf("sampler at 1 Hz for %d s: %.2f ms CPU in all = %.4f%% of one core\n", idle_seconds,
                cpu * 1e3, cpu / idle_seconds * 100);
  }
  std::filesystem::remove_all(dir);
  return 0;
}

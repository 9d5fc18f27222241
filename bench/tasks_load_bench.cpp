// "Load and validate" as issue 2 states it: load_task_table on one file, as `flowline run`
// loads it, with wall and CPU time per repetition and this process's peak RSS.
// Run through bench/tasks.sh.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "table/heap_tuning.hpp"
#include "table/table_file.hpp"

namespace {

double cpu_seconds() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  auto secs = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return secs(usage.ru_utime) + secs(usage.ru_stime);
}

long peak_rss_mb() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return -1;
  return usage.ru_maxrss / 1024;  // Linux reports KiB
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: tasks_load_bench FILE [REPEAT]\n");
    return 2;
  }
  flowline::tune_heap_for_large_tables();  // as flowline's own main() does
  const std::string path = argv[1];
  const int repeat = argc > 2 ? std::atoi(argv[2]) : 5;
  double best_wall = 1e9, best_cpu = 1e9, first_wall = 0, first_cpu = 0;
  size_t tasks_count = 0;
  for (int i = 0; i < repeat; ++i) {
    const double cpu0 = cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    auto table = flowline::load_task_table(path);
    if (!table.ok()) {
      std::fprintf(stderr, "%s\n", table.error().message.c_str());
      return 1;
    }
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // The first pass pays for fresh pages, as a real `flowline check` or `run` does; later
    // passes reuse the memory the previous one freed.
    if (i == 0) first_wall = wall, first_cpu = cpu_seconds() - cpu0;
    best_wall = std::min(best_wall, wall);
    best_cpu = std::min(best_cpu, cpu_seconds() - cpu0);
    tasks_count = table->tasks.size();
  }
  std::printf(
      "load+validate %s: %zu tasks; first run wall %.3f s CPU %.3f s; best of %d wall %.3f s "
      "CPU %.3f s; peak RSS %ld MB\n",
      path.c_str(), tasks_count, first_wall, first_cpu, repeat, best_wall, best_cpu, peak_rss_mb());
  return 0;
}

// Executor throughput: launch and collect N runs of a command through LocalExecutor, at most
// P at once, the way the engine does (poll on wait_fds, then collect_exits, then launch again).
// Prints runs/s and the delay from a run's recorded end to FlowLine learning of it.
//
// usage: bench_exec SUPERVISOR RUNS_ROOT [N=2000] [P=2] [COMMAND=true] [--durable]
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "exec/local/local_executor.hpp"

using namespace flowline;

static int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_exec SUPERVISOR RUNS_ROOT [N] [P] [COMMAND] [--durable]\n");
    return 2;
  }
  LocalExecutorOptions options;
  options.supervisor_path = argv[1];
  options.runs_root = argv[2];
  const int total = argc > 3 ? std::atoi(argv[3]) : 2000;
  const int parallel = argc > 4 ? std::atoi(argv[4]) : 2;
  const std::string command = argc > 5 ? argv[5] : "true";
  options.durable_exit_records = argc > 6 && std::strcmp(argv[6], "--durable") == 0;
  auto exec = LocalExecutor::create(options);
  if (!exec) {
    std::fprintf(stderr, "%s\n", exec.error().message.c_str());
    return 1;
  }
  const std::string log = options.runs_root + "/bench.log";
  int launched = 0, finished = 0, failed = 0;
  std::vector<int64_t> notice_ms;  // recorded end → collected
  auto start = std::chrono::steady_clock::now();
  while (finished < total) {
    while (launched < total && launched - finished < parallel) {
      LaunchSpec spec;
      spec.run_id = ++launched;
      spec.command = command;
      spec.stdout_path = log;
      spec.stderr_path = log;
      if (auto r = (*exec)->launch(spec); !r) {
        std::fprintf(stderr, "%s\n", r.error().message.c_str());
        return 1;
      }
    }
    int fd = (*exec)->wait_fds()[0];
    pollfd pfd{fd, POLLIN, 0};
    poll(&pfd, 1, -1);
    int64_t now = wall_ms();
    for (const auto& e : (*exec)->collect_exits()) {
      ++finished;
      if (e.exit_code != 0) ++failed;
      notice_ms.push_back(now - e.ended_ms);
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::sort(notice_ms.begin(), notice_ms.end());
  std::printf(
      "flowline-executor: %d runs of '%s', %d at once%s: %.2f s, %.0f runs/s; "
      "end-to-notice p50 %lld ms, p99 %lld ms; failed %d\n",
      total, command.c_str(), parallel, options.durable_exit_records ? " (durable)" : "", secs,
      total / secs, static_cast<long long>(notice_ms[notice_ms.size() / 2]),
      static_cast<long long>(notice_ms[notice_ms.size() * 99 / 100]), failed);
  return failed == 0 ? 0 : 1;
}

#include "engine/build_jobs.hpp"

#include <system_error>
#include <utility>

namespace flowline {

BuildJobs::~BuildJobs() {
  builder_.cancel();  // FlowLine is stopping: nobody waits for these commands any more
  for (auto& [ticket, thread] : threads_) thread.join();
}

bool BuildJobs::start(int64_t ticket, Task task, std::vector<int> gpus, int64_t run) {
  try {
    threads_[ticket] = std::thread([this, ticket, task = std::move(task),
                                    gpus = std::move(gpus), run] {
      Result<std::string> command = builder_.build(task, gpus, run);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        finished_.push_back({ticket, std::move(command)});
      }
      wakeup_.notify();
    });
  } catch (const std::system_error&) {  // out of threads or memory: not worth a crash
    threads_.erase(ticket);
    return false;
  }
  return true;
}

std::vector<BuildJobs::Finished> BuildJobs::take_finished() {
  std::vector<Finished> done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done.swap(finished_);
  }
  // Each of these threads has published its result and is returning: joining is immediate.
  for (const Finished& f : done) {
    auto it = threads_.find(f.ticket);
    if (it == threads_.end()) continue;
    it->second.join();
    threads_.erase(it);
  }
  return done;
}

}  // namespace flowline

#include "front/http/connection_pool.hpp"

#include <sys/resource.h>
#include <unistd.h>

namespace flowline::http {

constexpr int kConnectionNice = 10;

void ConnectionPool::enqueue(std::function<void()> job) {
  std::unique_lock lock(mutex_);
  has_room_.wait(lock, [this] { return stopping_ || jobs_.size() < idle_ + (max_threads_ - threads_.size()); });
  if (stopping_) {  // the server is closing: the job still closes its socket
    lock.unlock();
    job();
    return;
  }
  jobs_.push_back(std::move(job));
  if (idle_ < jobs_.size() && threads_.size() < max_threads_)
    threads_.emplace_back([this] { work(); });
  else
    has_job_.notify_one();
}

// The engine's loop must never wait for the server: on a busy machine (a hundred event streams
// woken by each event, on two cores) the scheduler gives the loop the CPU first.
void ConnectionPool::work() {
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kConnectionNice);
  std::unique_lock lock(mutex_);
  while (true) {
    ++idle_;
    has_job_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    --idle_;
    if (jobs_.empty()) return;  // stopping
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    lock.lock();
    has_room_.notify_one();
  }
}

void ConnectionPool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    threads.swap(threads_);
  }
  has_job_.notify_all();
  has_room_.notify_all();
  for (auto& t : threads) t.join();
}

}  // namespace flowline::http

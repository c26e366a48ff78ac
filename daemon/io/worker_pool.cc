#include "io/worker_pool.h"

#include <utility>

namespace coopwatch::io {

worker_pool::worker_pool(std::size_t workers) {
  for (std::size_t w = 1; w < workers; ++w) threads_.emplace_back([this, w] { thread_main(w); });
}

worker_pool::~worker_pool() {
  {
    std::lock_guard lock(mu_);
    quit_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void worker_pool::run(std::size_t count, const job& fn) {
  if (threads_.empty() || count <= 1) {
    for (std::size_t i = 0; i < count; ++i) fn(0, i);
    return;
  }
  {
    std::lock_guard lock(mu_);
    job_ = &fn;
    count_ = count;
    next_ = 0;
    busy_ = threads_.size();
    error_ = nullptr;
    ++generation_;
  }
  wake_.notify_all();
  work(0);
  std::unique_lock lock(mu_);
  done_.wait(lock, [this] { return busy_ == 0; });
  job_ = nullptr;
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void worker_pool::thread_main(std::size_t worker) {
  std::uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
      if (quit_) return;
      seen = generation_;
    }
    work(worker);
    std::lock_guard lock(mu_);
    if (--busy_ == 0) done_.notify_one();
  }
}

// Indices are taken one at a time, so a slow record (a long Traditional
// page) does not leave the other workers idle behind a fixed share.
void worker_pool::work(std::size_t worker) {
  for (std::size_t i = next_++; i < count_; i = next_++) {
    try {
      (*job_)(worker, i);
    } catch (...) {
      std::lock_guard lock(mu_);
      if (!error_) error_ = std::current_exception();
    }
  }
}

}  // namespace coopwatch::io

#pragma once
// A fixed set of threads that run one job over a range of indices together
// with the calling thread, which is worker 0: with one worker nothing is
// started and run() is a plain loop. Each index is handed to exactly one
// worker, in no particular order; run() returns when every call returned.
//
// Owned by one thread (the loop's); run() is not reentrant. The destructor
// stops and joins the threads.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace coopwatch::io {

class worker_pool {
 public:
  // job(worker, index): worker in [0, size()), index in [0, count).
  using job = std::function<void(std::size_t worker, std::size_t index)>;

  explicit worker_pool(std::size_t workers);
  ~worker_pool();
  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;

  // Calls `fn` for every index in [0, count), spread over the workers.
  // Rethrows the first exception a call threw, after all calls ended.
  void run(std::size_t count, const job& fn);
  [[nodiscard]] std::size_t size() const { return threads_.size() + 1; }

 private:
  void thread_main(std::size_t worker);
  void work(std::size_t worker);

  std::mutex mu_;
  std::condition_variable wake_;  // a new job, or quit
  std::condition_variable done_;  // the last thread finished its share
  const job* job_ = nullptr;
  std::size_t count_ = 0;
  std::atomic<std::size_t> next_{0};
  std::size_t busy_ = 0;          // threads still working on the current job
  std::uint64_t generation_ = 0;  // one per run(), so a thread takes each job once
  bool quit_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
};

}  // namespace coopwatch::io

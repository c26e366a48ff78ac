// The worker pool: every index once, on every worker count, results in place.
#include "io/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

namespace coopwatch::io {
namespace {

TEST(WorkerPool, EachIndexRunsExactlyOnce) {
  for (std::size_t workers : {1u, 2u, 4u}) {
    worker_pool pool(workers);
    EXPECT_EQ(pool.size(), workers);
    for (std::size_t count : {0u, 1u, 7u, 1000u}) {
      std::vector<std::atomic<int>> hits(count);
      pool.run(count, [&](std::size_t w, std::size_t i) {
        EXPECT_LT(w, workers);
        ++hits[i];
      });
      for (std::size_t i = 0; i < count; ++i) EXPECT_EQ(hits[i], 1) << workers << " workers, index " << i;
    }
  }
}

TEST(WorkerPool, OneWorkerRunsOnTheCallingThreadInOrder) {
  worker_pool pool(1);
  std::vector<std::size_t> order;
  const auto caller = std::this_thread::get_id();
  pool.run(5, [&](std::size_t, std::size_t i) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    order.push_back(i);
  });
  EXPECT_EQ(order, (std::vector<std::size_t>{0, 1, 2, 3, 4}));
}

TEST(WorkerPool, AnExceptionReachesTheCallerAfterTheRound) {
  worker_pool pool(3);
  std::atomic<int> ran{0};
  EXPECT_THROW(pool.run(100, [&](std::size_t, std::size_t i) {
                 ++ran;
                 if (i == 42) throw std::runtime_error("bad");
               }),
               std::runtime_error);
  EXPECT_EQ(ran, 100) << "the other indices still ran";
  std::atomic<int> again{0};
  pool.run(10, [&](std::size_t, std::size_t) { ++again; });
  EXPECT_EQ(again, 10) << "the pool is usable afterwards";
}

}  // namespace
}  // namespace coopwatch::io

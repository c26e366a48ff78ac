#pragma once
// Keeps the consumer's prefetch going under a backlog.
//
// librdkafka before 2.2 (Debian 12 ships 2.0.2) stops fetching a partition
// once the prefetch queue reaches queued.max.messages.kbytes or
// queued.min.messages, and looks at the partition again only when its broker
// thread next wakes: up to a second later (librdkafka #2879; 2.2 added
// fetch.queue.backoff.ms for this). Draining a backlog, the queue fills in a
// fraction of a second, the daemon works through it, and then waits with
// nothing to do for records the broker has had all along.
//
// Any request for a broker thread wakes it, and once awake it finds the
// queue under its limit and fetches again. So when the queue, having been
// near full, has fallen to half, a thread of our own asks the leaders of the
// partitions being read for their latest offsets (a ListOffsets request:
// read-only, and answered from the broker's memory). Measured on the
// benchmark drain: tests/bench/README.md, "The eleventh session's".
//
// fetch_wakeup_policy decides when (pure, unit-tested); fetch_wakeup sends
// the requests without blocking the loop.

#include <librdkafka/rdkafka.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace prometheus {
class Counter;
}

namespace coopwatch::io {

class logger;

// Whether librdkafka has fetch.queue.backoff.ms, so needs no wake-ups.
[[nodiscard]] bool librdkafka_backs_off_briefly() noexcept;

class fetch_wakeup_policy {
 public:
  // The queue's limits as configured: bytes (queued.max.messages.kbytes
  // × 1024) and records (queued.min.messages).
  fetch_wakeup_policy(std::int64_t max_bytes, std::int64_t max_records);

  // One round of the loop: `queued` records wait in the consumer's queue,
  // and the records read so far average `mean_record_bytes`. True when a
  // wake-up is due: the queue was at three quarters of its limit or more
  // (so the fetcher may have stopped) and is now at half or less.
  bool due(std::size_t queued, double mean_record_bytes);

 private:
  double max_bytes_;
  double max_records_;
  bool near_full_ = false;
};

class fetch_wakeup {
 public:
  // `consumer` must outlive this object.
  fetch_wakeup(rd_kafka_t* consumer, std::string topic, prometheus::Counter& wakeups, logger& log);
  ~fetch_wakeup();  // waits for a request under way (at most kRequestTimeout)
  fetch_wakeup(const fetch_wakeup&) = delete;
  fetch_wakeup& operator=(const fetch_wakeup&) = delete;

  // Asks the leaders of these partitions for their latest offsets, on the
  // wake-up thread. Returns at once; ignored while a request is under way.
  void wake(std::vector<std::int32_t> partitions);

 private:
  void run();

  rd_kafka_t* consumer_;
  const std::string topic_;
  prometheus::Counter& wakeups_;
  logger& log_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<std::vector<std::int32_t>> pending_;  // partitions to wake, when asked
  bool busy_ = false;
  bool quit_ = false;
  std::thread thread_;  // last: starts once the rest is set
};

}  // namespace coopwatch::io

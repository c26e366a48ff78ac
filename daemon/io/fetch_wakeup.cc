#include "io/fetch_wakeup.h"

#include <prometheus/counter.h>

#include <algorithm>
#include <utility>

#include "io/kafka.h"
#include "io/log.h"

namespace coopwatch::io {

namespace {

// A request that takes longer finds the broker away: the next wake-up will
// try again. It also bounds how long the destructor can wait.
constexpr int kRequestTimeoutMs = 1000;
// The latest offset (the offsets_for_times "timestamp" that asks for it).
constexpr std::int64_t kLatest = -1;

}  // namespace

bool librdkafka_backs_off_briefly() noexcept { return rd_kafka_version() >= 0x020200ff; }

fetch_wakeup_policy::fetch_wakeup_policy(std::int64_t max_bytes, std::int64_t max_records)
    : max_bytes_(static_cast<double>(max_bytes)), max_records_(static_cast<double>(max_records)) {}

bool fetch_wakeup_policy::due(std::size_t queued, double mean_record_bytes) {
  if (mean_record_bytes <= 0 || max_bytes_ <= 0 || max_records_ <= 0) return false;
  // The limit the fetcher stops at, in records: whichever comes first.
  const double limit = std::min(max_records_, max_bytes_ / mean_record_bytes);
  const auto q = static_cast<double>(queued);
  if (q >= 0.75 * limit) near_full_ = true;
  if (!near_full_ || q > 0.5 * limit) return false;
  near_full_ = false;
  return true;
}

fetch_wakeup::fetch_wakeup(rd_kafka_t* consumer, std::string topic, prometheus::Counter& wakeups, logger& log)
    : consumer_(consumer), topic_(std::move(topic)), wakeups_(wakeups), log_(log), thread_([this] { run(); }) {}

fetch_wakeup::~fetch_wakeup() {
  {
    std::lock_guard lock(mu_);
    quit_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void fetch_wakeup::wake(std::vector<std::int32_t> partitions) {
  if (partitions.empty()) return;
  {
    std::lock_guard lock(mu_);
    if (busy_ || pending_) return;
    pending_ = std::move(partitions);
  }
  cv_.notify_one();
}

void fetch_wakeup::run() {
  for (;;) {
    std::vector<std::int32_t> partitions;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return quit_ || pending_.has_value(); });
      if (quit_) return;
      partitions = std::move(*pending_);
      pending_.reset();
      busy_ = true;
    }
    // One ListOffsets request per leader: librdkafka groups the partitions.
    kafka_partitions list(rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
    for (const std::int32_t p : partitions)
      rd_kafka_topic_partition_list_add(list.get(), topic_.c_str(), p)->offset = kLatest;
    const rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(consumer_, list.get(), kRequestTimeoutMs);
    wakeups_.Increment();
    if (err)
      log_.debug("consumer", "fetch wake-up request failed (the next one retries)",
                 {{"error", rd_kafka_err2name(err)}});
    std::lock_guard lock(mu_);
    busy_ = false;
  }
}

}  // namespace coopwatch::io

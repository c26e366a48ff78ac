#pragma once
// Prometheus metrics of the daemon (namespace coopwatch_), served on
// metrics.listen at /metrics by prometheus-cpp's exposer. Counters are
// lock-free to increment; one `metrics` object lives in main and is passed
// by reference to the loop. Nothing here can change the daemon's state.

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "coopwatch/core/error.h"
#include "coopwatch/core/pipeline.h"
#include "io/health.h"

namespace coopwatch::io {

// The bucket boundaries, in seconds, of every latency histogram here.
prometheus::Histogram::BucketBoundaries latency_buckets();

class metrics {
 public:
  // Starts serving on `listen` (host:port) unless it is empty. Throws
  // std::runtime_error if the address cannot be bound.
  explicit metrics(const std::string& listen);

  prometheus::Counter& consumed;
  prometheus::Counter& published;
  prometheus::Counter& irrelevant;
  prometheus::Counter& consumed_bytes;
  prometheus::Counter& batches_committed;
  prometheus::Counter& batches_aborted;
  prometheus::Counter& rebalances;
  prometheus::Counter& fetch_wakeups;      // fetch_wakeup.h
  prometheus::Counter& produce_errors;
  prometheus::Gauge& assigned_partitions;
  prometheus::Gauge& producer_queue;       // messages waiting in the producer (statistics)
  prometheus::Gauge& relevant_ratio;       // published / (published + irrelevant), cumulative
  prometheus::Gauge& ready;                // 1 when /readyz answers 200
  prometheus::Gauge& paused;               // 1 while input is paused for backpressure
  prometheus::Histogram& record_seconds;   // core pipeline time per record
  prometheus::Histogram& batch_seconds;    // batch open to commit
  prometheus::Histogram& end_to_end_seconds;  // broker timestamp to commit

  prometheus::Counter& dead_letters(std::string_view reason);
  prometheus::Counter& figures(const std::string& metric, const std::string& unit);
  prometheus::Gauge& consumer_lag(std::int32_t partition);
  void forget_lag(std::int32_t partition);  // on revocation: the series would go stale
  void update_relevant_ratio();
  health_state& health() { return health_; }
  prometheus::Histogram& stage_seconds(core::stage s) { return *stage_[static_cast<int>(s)]; }

  [[nodiscard]] std::string bound_address() const;  // "host:port" actually bound, empty if off

 private:
  health_state health_;  // before exposer_: the server reads it until it is destroyed
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  prometheus::Family<prometheus::Counter>* dead_letters_family_;
  prometheus::Family<prometheus::Counter>* figures_family_;
  prometheus::Family<prometheus::Gauge>* lag_family_;
  // figures() runs for every figure published: the family's own look-up
  // builds a label map and hashes it each time; the counters it returns
  // live as long as the registry, so they are kept here by metric and unit.
  std::mutex figure_counters_mutex_;
  std::unordered_map<std::string, prometheus::Counter*> figure_counters_;
  std::array<prometheus::Histogram*, core::stage_count> stage_{};

  metrics(std::shared_ptr<prometheus::Registry> registry, const std::string& listen);
};

}  // namespace coopwatch::io

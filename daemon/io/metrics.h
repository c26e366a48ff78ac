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
#include <string>

#include "coopwatch/core/error.h"
#include "coopwatch/core/pipeline.h"

namespace coopwatch::io {

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
  prometheus::Counter& produce_errors;
  prometheus::Gauge& assigned_partitions;
  prometheus::Histogram& record_seconds;   // core pipeline time per record
  prometheus::Histogram& batch_seconds;    // batch open to commit
  prometheus::Histogram& end_to_end_seconds;  // broker timestamp to commit

  prometheus::Counter& dead_letters(core::error_code reason);
  prometheus::Counter& dead_letters_delivery();  // could not publish (output refused)
  prometheus::Histogram& stage_seconds(core::stage s) { return *stage_[static_cast<int>(s)]; }

  [[nodiscard]] std::string bound_address() const;  // "host:port" actually bound, empty if off

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  prometheus::Family<prometheus::Counter>* dead_letters_family_;
  std::array<prometheus::Histogram*, core::stage_count> stage_{};

  metrics(std::shared_ptr<prometheus::Registry> registry, const std::string& listen);
};

}  // namespace coopwatch::io

#pragma once
// Start-up: waits until a broker answers and every topic the daemon uses
// exists. A daemon often starts beside its cluster (compose, a
// topic-creating job), so missing topics are waited for
// startup.topic_wait_ms after the broker first answered; then they are one
// clear error (auto-creation is off on production clusters, and a missing
// output topic would fail every batch forever). Logs every 10 s meanwhile.

#include <librdkafka/rdkafka.h>

#include <atomic>

#include "io/config.h"
#include "io/log.h"

namespace coopwatch::io {

// True once all topics exist; false on `stop` or when topics stayed missing
// (logged as an error). Asks the cluster through `rk` (any client).
[[nodiscard]] bool wait_for_topics(rd_kafka_t* rk, const config& cfg, logger& log,
                                   const std::atomic<bool>& stop);

}  // namespace coopwatch::io

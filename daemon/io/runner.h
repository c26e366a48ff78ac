#pragma once
// The consume-transform-produce loop: reads the input topic as a consumer
// group member, runs each record through the core pipeline, publishes events
// and dead letters, and commits input offsets per batch:
//  - exactly_once: events, dead letters and the batch's offsets commit in one
//    Kafka transaction (send_offsets_to_transaction with the group metadata);
//  - at_least_once: offsets are committed only after the producer has
//    acknowledged every record the batch produced.
// A failed batch is aborted and the consumer rewinds to the batch's first
// offsets, so nothing is skipped. Single-threaded; signals arrive as flags.

#include <atomic>
#include <functional>

#include "coopwatch/core/pipeline.h"
#include "io/config.h"
#include "io/kafka.h"
#include "io/log.h"
#include "io/metrics.h"

namespace coopwatch::io {

using pipeline_factory = std::function<core::pipeline()>;

// Runs until `stop` is set; returns the process exit code (0 on a clean stop).
// `reload` (SIGHUP) rebuilds the pipeline from its data files between batches.
int run_daemon(const config& cfg, const pipeline_factory& make_pipeline, logger& log, metrics& m,
               std::atomic<bool>& stop, std::atomic<bool>& reload);

}  // namespace coopwatch::io

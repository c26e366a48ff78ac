#pragma once
// The consume-transform-produce loop: reads the input topic as a consumer
// group member, runs each record through the core pipeline, publishes events
// and dead letters, and commits input offsets per batch:
//  - exactly_once: events, dead letters and the batch's offsets commit in one
//    Kafka transaction (send_offsets_to_transaction with the group metadata);
//  - at_least_once: a batch's offsets are committed only after the producer
//    has acknowledged every record it produced; up to a few closed batches
//    wait for their acknowledgements while the next one is consumed, and
//    commit in order.
// A failed batch is aborted and the consumer rewinds to the first offsets of
// the oldest uncommitted batch, so nothing is skipped. With
// processing.workers > 1 the core pipeline runs on that many threads; Kafka
// stays on the calling thread and outputs are produced in input order.
// Signals arrive as flags.

#include <atomic>

#include "io/config.h"
#include "io/kafka.h"
#include "io/log.h"
#include "io/metrics.h"
#include "io/pipeline_workers.h"

namespace coopwatch::io {

// Runs until `stop` is set; returns the process exit code (0 on a clean stop).
// `reload` (SIGHUP) rebuilds the pipelines from their data files between batches.
int run_daemon(const config& cfg, const pipeline_factory& make_pipeline, logger& log, metrics& m,
               std::atomic<bool>& stop, std::atomic<bool>& reload);

}  // namespace coopwatch::io

#pragma once
// Reads librdkafka's statistics JSON (statistics.interval.ms) into the
// numbers the daemon exports: end offsets per partition of one topic (the
// runner turns them into lag against its own positions: with transactions
// the consumer never commits itself, so librdkafka's own consumer_lag stays -1),
// messages waiting in the producer, and whether any broker is up.

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>

namespace coopwatch::io {

struct partition_stats {
  std::int64_t end_offset = -1;        // last stable offset (read_committed) or high watermark
  std::int64_t committed_offset = -1;  // as the consumer last saw it, -1 if none
};

struct kafka_stats {
  std::map<std::int32_t, partition_stats> partitions;  // assigned partitions of the topic
  std::optional<std::int64_t> queued_messages;        // producer: msg_cnt
  bool any_broker_up = false;
};

// Parses `json` for `topic`; returns nothing if the document is not statistics.
[[nodiscard]] std::optional<kafka_stats> parse_kafka_stats(std::string_view json,
                                                           std::string_view topic);

}  // namespace coopwatch::io

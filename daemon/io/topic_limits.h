#pragma once
// The largest record each output topic accepts (its max.message.bytes),
// read with the Admin API. The daemon checks every record against it before
// producing: a record the topic would refuse is dead-lettered at once by
// rule, instead of failing a whole batch (and transaction) at the broker.

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coopwatch::io {

using topic_limits = std::map<std::string, std::int64_t>;  // topic -> max.message.bytes

// Asks the cluster through `rk` (any client); nothing if it does not answer
// within `timeout_ms` or refuses (e.g. no DescribeConfigs ACL).
[[nodiscard]] std::optional<topic_limits> describe_topic_limits(rd_kafka_t* rk,
                                                                const std::vector<std::string>& topics,
                                                                int timeout_ms);

// Bytes a record of value `value_bytes` and key `key_bytes` takes in a
// record batch of its own, with room for headers: what a limit is compared to.
[[nodiscard]] constexpr std::int64_t record_footprint(std::size_t key_bytes, std::size_t value_bytes,
                                                      std::size_t header_bytes = 0) {
  return static_cast<std::int64_t>(key_bytes + value_bytes + header_bytes) + 128;
}

}  // namespace coopwatch::io

#pragma once
// RAII for librdkafka's C handles and the building of client configurations
// from the daemon's config (defaults, then kafka.common.*, then
// kafka.consumer.* / kafka.producer.*). A property librdkafka rejects is a
// config_error naming the key.

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <memory>
#include <string>

#include "io/config.h"

namespace coopwatch::io {

struct kafka_deleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
  void operator()(rd_kafka_conf_t* c) const { rd_kafka_conf_destroy(c); }
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
  void operator()(rd_kafka_topic_partition_list_t* l) const { rd_kafka_topic_partition_list_destroy(l); }
  void operator()(rd_kafka_error_t* e) const { rd_kafka_error_destroy(e); }
  void operator()(rd_kafka_consumer_group_metadata_t* m) const { rd_kafka_consumer_group_metadata_destroy(m); }
  void operator()(rd_kafka_headers_t* h) const { rd_kafka_headers_destroy(h); }
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
};

using kafka_handle = std::unique_ptr<rd_kafka_t, kafka_deleter>;
using kafka_conf = std::unique_ptr<rd_kafka_conf_t, kafka_deleter>;
using kafka_message = std::unique_ptr<rd_kafka_message_t, kafka_deleter>;
using kafka_partitions = std::unique_ptr<rd_kafka_topic_partition_list_t, kafka_deleter>;
using kafka_error = std::unique_ptr<rd_kafka_error_t, kafka_deleter>;
using kafka_queue = std::unique_ptr<rd_kafka_queue_t, kafka_deleter>;
using kafka_group_metadata = std::unique_ptr<rd_kafka_consumer_group_metadata_t, kafka_deleter>;

enum class client_role { consumer, producer };

// A librdkafka configuration for `role`, with the daemon's defaults and the
// pass-through properties applied. Throws config_error.
[[nodiscard]] kafka_conf build_kafka_conf(const config& c, client_role role);

// A numeric property of a configuration as librdkafka holds it (0 if unset or not a number).
[[nodiscard]] std::int64_t conf_number(const rd_kafka_conf_t* conf, const char* key);

// Builds both configurations once, to reject bad pass-through properties at start-up.
void validate_kafka_config(const config& c);

}  // namespace coopwatch::io

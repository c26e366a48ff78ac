#pragma once
// The daemon's configuration: a declared table of keys (name, type, default,
// doc) filling one typed `config` value. Sources, later ones winning:
//   1. defaults, 2. the YAML file, 3. COOPWATCH_* environment variables,
//   4. --set key=value flags.
// librdkafka properties pass through under kafka.common.* (both clients),
// kafka.consumer.* and kafka.producer.*; a property librdkafka rejects stops
// start-up. Loading throws config_error with one clear line (file:line where
// known); main turns that into exit code 2.

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace coopwatch::io {

class config_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class delivery_mode { exactly_once, at_least_once };
enum class log_format { json, text };

// batch.max_records unless set. A transaction costs the broker several
// requests and log writes (a 200 000-item drain: 5.4-8.2 us of broker CPU
// per item at 2 000 records a batch, 2.8 at 10 000), so exactly-once batches
// are left to batch.max_ms under load. At-least-once keeps four batches in
// flight, which at 10 000 records would outgrow the producer's queue.
inline constexpr std::int64_t kDefaultBatchRecordsExactlyOnce = 10000;
inline constexpr std::int64_t kDefaultBatchRecordsAtLeastOnce = 2000;

struct config {
  std::string brokers = "127.0.0.1:9092";
  std::string group_id = "coopwatch";
  std::string input_topic = "news.raw";
  std::string output_topic = "news.eastwest.events";
  std::string dead_letter_topic = "news.raw.dlq";
  std::string figures_topic = "news.eastwest.figures";  // empty: no per-figure records
  delivery_mode delivery = delivery_mode::exactly_once;
  std::string instance_id;  // default: host name; part of transactional.id
  std::int64_t transaction_timeout_ms = 30000;
  std::int64_t batch_max_records = 0;  // 0 until load_config(): then the delivery mode's default above
  std::int64_t batch_max_ms = 100;
  std::int64_t workers = 1;  // threads running the core pipeline
  std::int64_t max_record_bytes = 1 << 20;
  std::int64_t max_dead_letter_bytes = 900000;  // longer records are dead-lettered truncated
  std::int64_t shutdown_timeout_ms = 15000;
  std::int64_t topic_wait_ms = 60000;  // at start, wait this long for missing topics
  std::string metrics_listen = "127.0.0.1:9464";  // empty disables the endpoint
  std::string data_dir;                            // default: compiled-in data directory
  log_format log_fmt = log_format::json;
  std::string log_level = "info";
  bool passthrough = false;  // decode and forward only (benchmarks the transport)

  std::map<std::string, std::string> kafka_common;    // to both clients
  std::map<std::string, std::string> kafka_consumer;  // consumer only
  std::map<std::string, std::string> kafka_producer;  // producer only

  // transactional.id: stable per (group, instance) so a restarted instance
  // fences its own zombie and two instances never fence each other.
  [[nodiscard]] std::string transactional_id() const {
    return "coopwatch-" + group_id + "-" + instance_id;
  }
};

// Loads `path` (may be empty: defaults only), then the environment, then `overrides`
// ("key=value" each). Throws config_error.
[[nodiscard]] config load_config(const std::string& path, const std::vector<std::string>& overrides,
                                 char** environ_ptr);

// The effective config as YAML-ish "key: value" lines, secrets masked.
[[nodiscard]] std::string describe_config(const config& c);

// True for librdkafka properties whose values must never be printed.
[[nodiscard]] bool is_secret_key(const std::string& key);

// Documentation of every declared key: (key, default, doc), for --help and the README.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> config_reference();

}  // namespace coopwatch::io

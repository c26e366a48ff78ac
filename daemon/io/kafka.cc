#include "io/kafka.h"

#include <cstdlib>
#include <map>

#include "io/fetch_wakeup.h"

namespace coopwatch::io {

namespace {

void set(rd_kafka_conf_t* conf, const std::string& origin, const std::string& key,
         const std::string& value) {
  char err[512];
  if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK)
    throw config_error(origin + key + ": " + err);
}

}  // namespace

kafka_conf build_kafka_conf(const config& c, client_role role) {
  kafka_conf conf(rd_kafka_conf_new());
  const std::string daemon = "(daemon default) ";
  set(conf.get(), daemon, "bootstrap.servers", c.brokers);
  set(conf.get(), daemon, "client.id", "coopwatch-" + c.instance_id);
  // Feeds consumer lag, producer queue depth and broker reachability metrics.
  set(conf.get(), daemon, "statistics.interval.ms", "5000");
  if (role == client_role::consumer) {
    set(conf.get(), daemon, "group.id", c.group_id);
    // Offsets are committed by the daemon only after the outputs of a batch
    // are acknowledged (or inside the transaction): never automatically.
    set(conf.get(), daemon, "enable.auto.commit", "false");
    set(conf.get(), daemon, "enable.auto.offset.store", "false");
    set(conf.get(), daemon, "auto.offset.reset", "earliest");
    set(conf.get(), daemon, "enable.partition.eof", "false");
    // Bounds the prefetch queue's memory (in KB). librdkafka 2.0 (Debian
    // 12) stops fetching a partition whenever the queue reaches this and
    // looks again only when its broker thread next wakes, up to a second
    // later (librdkafka #2879). Earlier versions of the daemon sized the
    // queue to hold that second of input (128 MB; peak RSS 213-247 MB);
    // now the daemon wakes the fetcher once the queue has room
    // (fetch_wakeup.h), so the queue only has to cover a request's round
    // trip. Measured draining 200 000 2 KB items here with wake-ups: 32, 64
    // and 128 MB drained at the same speed within the noise (pipeline with
    // two workers 91-108k items/s), peak RSS 87-110, 138 and 219 MB.
    set(conf.get(), daemon, "queued.max.messages.kbytes", "32768");
    // librdkafka 2.2 and later wait this long instead of that second; older
    // ones are woken by the daemon (fetch_wakeup.h).
    if (librdkafka_backs_off_briefly()) set(conf.get(), daemon, "fetch.queue.backoff.ms", "10");
    // Lets the daemon read an input record of up to max_record_bytes (and a
    // bit more, to dead-letter it as oversized rather than stall on it).
    // 8 MB per partition and fetch, not librdkafka's 1 MB: with 1 MB the
    // full-pipeline drain measured 1.7 times slower here (the fetcher, not
    // the pipeline, was the limit); memory stays bounded by
    // queued.max.messages.kbytes below.
    set(conf.get(), daemon, "fetch.message.max.bytes",
        std::to_string(std::max<std::int64_t>(8 << 20, c.max_record_bytes + 4096)));
    set(conf.get(), daemon, "receive.message.max.bytes",
        std::to_string(std::max<std::int64_t>(100000000, c.max_record_bytes * 2 + 65536)));
  } else {
    set(conf.get(), daemon, "enable.idempotence", "true");
    set(conf.get(), daemon, "acks", "all");
    set(conf.get(), daemon, "linger.ms", "5");
    set(conf.get(), daemon, "compression.type", "lz4");
    // Bounds the producer queue: when full, produce() returns QUEUE_FULL and
    // the loop waits instead of growing memory.
    set(conf.get(), daemon, "queue.buffering.max.kbytes", "65536");
    set(conf.get(), daemon, "queue.buffering.max.messages", "50000");
    if (c.delivery == delivery_mode::exactly_once) {
      set(conf.get(), daemon, "transactional.id", c.transactional_id());
      set(conf.get(), daemon, "transaction.timeout.ms", std::to_string(c.transaction_timeout_ms));
    }
  }
  for (const auto& [k, v] : c.kafka_common) set(conf.get(), "kafka.common.", k, v);
  const auto& own = role == client_role::consumer ? c.kafka_consumer : c.kafka_producer;
  for (const auto& [k, v] : own)
    set(conf.get(), role == client_role::consumer ? "kafka.consumer." : "kafka.producer.", k, v);
  return conf;
}

std::int64_t conf_number(const rd_kafka_conf_t* conf, const char* key) {
  char buf[64];
  std::size_t size = sizeof buf;
  if (rd_kafka_conf_get(conf, key, buf, &size) != RD_KAFKA_CONF_OK) return 0;
  char* end = nullptr;
  const long long v = std::strtoll(buf, &end, 10);
  return end != buf && *end == '\0' ? v : 0;
}

void validate_kafka_config(const config& c) {
  (void)build_kafka_conf(c, client_role::consumer);
  (void)build_kafka_conf(c, client_role::producer);
}

}  // namespace coopwatch::io

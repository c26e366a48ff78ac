#include "io/runner.h"

#include <unistd.h>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "io/clock.h"
#include "io/kafka_stats.h"
#include "io/topic_limits.h"

namespace coopwatch::io {

namespace {

using steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

double seconds_since(steady::time_point t) {
  return std::chrono::duration<double>(steady::now() - t).count();
}

// Times core stages for the stage histograms: the core calls stage_done()
// after each stage; the time since the previous call is that stage's.
class stage_timer final : public core::stage_observer {
 public:
  explicit stage_timer(metrics& m) : m_(m) {}
  void start() { last_ = steady::now(); }
  void stage_done(core::stage s) override {
    auto now = steady::now();
    m_.stage_seconds(s).Observe(std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }

 private:
  metrics& m_;
  steady::time_point last_;
};

// A record the output refuses for what it is (too large, invalid), not for
// the state of the cluster: retrying cannot help, dead-lettering does.
bool is_permanent(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_INVALID_RECORD:
    case RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE:
      return true;
    default:
      return false;
  }
}

// The input record an output record came from, packed into the per-message
// opaque so the delivery report can name it: partition + 1 in the top 16
// bits, offset in the low 48.
void* encode_source(std::int32_t partition, std::int64_t offset) {
  return reinterpret_cast<void*>((static_cast<std::uintptr_t>(partition + 1) << 48) |
                                 (static_cast<std::uintptr_t>(offset) & ((1ull << 48) - 1)));
}

std::pair<std::int32_t, std::int64_t> decode_source(void* opaque) {
  auto v = reinterpret_cast<std::uintptr_t>(opaque);
  return {static_cast<std::int32_t>(v >> 48) - 1, static_cast<std::int64_t>(v & ((1ull << 48) - 1))};
}

// The offsets a batch has consumed from one input partition.
struct partition_range {
  std::int64_t first = -1;  // offset of the batch's first record: where a rewind goes
  std::int64_t next = -1;   // offset after the last record: what a commit stores
};

class runner {
 public:
  runner(const config& cfg, const pipeline_factory& make, logger& log, metrics& m,
         std::atomic<bool>& stop, std::atomic<bool>& reload)
      : cfg_(cfg), make_(make), log_(log), m_(m), stop_(stop), reload_(reload),
        pipeline_(make()), timer_(m) {}

  int run();

 private:
  void create_clients();
  void install_callbacks(rd_kafka_conf_t* conf);
  bool init_transactions();
  void consume_one(rd_kafka_message_t* msg);
  rd_kafka_resp_err_t produce(const std::string& topic, std::string_view key,
                              std::string_view value, rd_kafka_headers_t* headers,
                              const rd_kafka_message_t* source);
  void send_dead_letter(const rd_kafka_message_t* msg, std::string_view reason, std::string_view error);
  void open_batch();
  bool commit_batch();
  bool commit_transaction(rd_kafka_topic_partition_list_t* offsets);
  enum class txn_result { ok, abort, fatal };
  template <typename Call>
  txn_result txn_call(const char* what, Call&& call);
  void abort_batch(std::string_view why);
  void rewind();
  void maybe_reload();
  void create_producer();
  void refresh_limits();
  void adapt_to_new_limits();
  [[nodiscard]] bool outputs_fit(const core::outcome& out);
  [[nodiscard]] bool fits(const std::string& topic, std::size_t key, std::size_t value,
                          std::size_t headers = 0) const;
  [[nodiscard]] bool missing_topics(std::string& missing);
  [[nodiscard]] bool wait_for_topics();
  bool shrink_batches_if_needed();
  [[nodiscard]] kafka_partitions batch_offsets(bool first) const;
  [[nodiscard]] bool exactly_once() const { return cfg_.delivery == delivery_mode::exactly_once; }

  static void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* parts, void* opaque);
  static void on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* msg, void* opaque);
  static void on_log(const rd_kafka_t* rk, int level, const char* fac, const char* buf);
  static void on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  static int on_stats(rd_kafka_t* rk, char* json, size_t len, void* opaque);
  void refresh_assignment();
  void apply_backpressure();
  void set_paused(bool paused);

  const config& cfg_;
  const pipeline_factory& make_;
  logger& log_;
  metrics& m_;
  std::atomic<bool>& stop_;
  std::atomic<bool>& reload_;
  core::pipeline pipeline_;
  stage_timer timer_;
  utc_clock clock_;

  kafka_handle consumer_;
  kafka_handle producer_;

  bool batch_open_ = false;
  steady::time_point batch_opened_;
  std::size_t batch_records_ = 0;
  std::map<std::int32_t, partition_range> batch_;
  std::set<std::pair<std::int32_t, std::int64_t>> refused_;   // inputs whose outputs the broker refused
  std::set<std::pair<std::int32_t, std::int64_t>> poisoned_;  // ... to dead-letter on replay
  topic_limits limits_;             // max.message.bytes of the output topics, if known
  std::int64_t batch_size_ = 0;     // the producer's batch.size
  bool limits_stale_ = false;       // a permanent refusal: the limits changed
  std::map<std::int32_t, std::int64_t> positions_;  // next offset to process, per partition
  std::vector<std::int64_t> batch_timestamps_;  // broker timestamps (ms) for end-to-end latency
  long delivery_failures_ = 0;                 // in the open batch
  bool batch_failed_ = false;                  // the open batch can only be aborted now
  bool paused_ = false;                        // input partitions paused for backpressure
  std::atomic<bool> fatal_{false};
};

// ---- callbacks: librdkafka calls them from poll() on our thread, except
// the log and error callbacks, which may come from its own threads.

void runner::on_log(const rd_kafka_t* rk, int level, const char* fac, const char* buf) {
  auto* self = static_cast<runner*>(rd_kafka_opaque(rk));
  log_level l = level <= 3 ? log_level::error : level <= 5 ? log_level::warn
              : level == 6 ? log_level::info : log_level::debug;
  self->log_.log(l, "librdkafka", buf, {{"facility", fac}, {"client", rd_kafka_name(rk)}});
}

void runner::on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* self = static_cast<runner*>(opaque);
  auto code = static_cast<rd_kafka_resp_err_t>(err);
  if (code == RD_KAFKA_RESP_ERR__FATAL) {
    char buf[512];
    rd_kafka_fatal_error(rk, buf, sizeof buf);
    self->log_.error("kafka", "fatal client error", {{"error", buf}});
    self->fatal_ = true;
    self->m_.health().alive = false;
    return;
  }
  if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
    self->m_.health().broker_reachable = false;
    self->log_.warn("kafka", "no broker reachable; librdkafka keeps retrying with backoff",
                    {{"brokers", self->cfg_.brokers}, {"reason", reason}});
    return;
  }
  self->log_.warn("kafka", reason, {{"error", rd_kafka_err2name(code)}});
}

int runner::on_stats(rd_kafka_t* rk, char* json, size_t len, void* opaque) {
  auto* self = static_cast<runner*>(opaque);
  auto stats = parse_kafka_stats(std::string_view(json, len), self->cfg_.input_topic);
  if (!stats) return 0;
  self->m_.health().broker_reachable = stats->any_broker_up;
  self->m_.ready.Set(self->m_.health().ready() ? 1 : 0);
  if (rd_kafka_type(rk) == RD_KAFKA_PRODUCER) {
    if (stats->queued_messages) self->m_.producer_queue.Set(static_cast<double>(*stats->queued_messages));
  } else {
    // Statistics come from poll() on our thread, so positions_ is safe to read.
    for (const auto& [partition, ps] : stats->partitions) {
      auto it = self->positions_.find(partition);
      std::int64_t position = it != self->positions_.end() ? it->second : ps.committed_offset;
      if (position < 0) continue;
      self->m_.consumer_lag(partition).Set(static_cast<double>(std::max<std::int64_t>(0, ps.end_offset - position)));
    }
  }
  return 0;  // librdkafka frees the buffer
}

// Backpressure between records, where it is safe: when the producer queue
// is high, the input partitions are paused (the loop keeps polling, so the
// group membership and rebalances are served) and resumed once it drained to
// half. Memory stays bounded by the producer queue's limits, and produce()
// waiting on QUEUE_FULL remains only the last resort.
void runner::apply_backpressure() {
  constexpr int kHigh = 10000, kLow = 5000;  // messages waiting in the producer
  const int queued = rd_kafka_outq_len(producer_.get());
  if (!paused_ && queued >= kHigh) set_paused(true);
  else if (paused_ && queued <= kLow) set_paused(false);
}

void runner::set_paused(bool paused) {
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (rd_kafka_assignment(consumer_.get(), &raw) || !raw) return;
  kafka_partitions assigned(raw);
  if (paused) rd_kafka_pause_partitions(consumer_.get(), assigned.get());
  else rd_kafka_resume_partitions(consumer_.get(), assigned.get());
  paused_ = paused;
  m_.paused.Set(paused ? 1 : 0);
  log_.info("runner", paused ? "producer queue high: input paused" : "producer queue drained: input resumed",
            {{"queued", std::to_string(rd_kafka_outq_len(producer_.get()))}});
}

void runner::refresh_assignment() {
  rd_kafka_topic_partition_list_t* raw = nullptr;
  int count = 0;
  if (!rd_kafka_assignment(consumer_.get(), &raw) && raw) {
    count = raw->cnt;
    rd_kafka_topic_partition_list_destroy(raw);
  }
  m_.assigned_partitions.Set(count);
  m_.health().assigned_partitions = count;
  // Newly assigned partitions start fetching: while paused, pause them too.
  if (paused_ && count > 0) set_paused(true);
  m_.ready.Set(m_.health().ready() ? 1 : 0);
}

void runner::on_delivery(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
  auto* self = static_cast<runner*>(opaque);
  if (msg->err) {
    ++self->delivery_failures_;
    if (self->exactly_once()) self->batch_failed_ = true;
    // Purged records belong to an aborted transaction: not news.
    if (msg->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || msg->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT) return;
    self->m_.produce_errors.Increment();
    // The broker refused this record for good: when the batch is replayed,
    // its input record goes to the dead-letter topic instead.
    if (is_permanent(msg->err)) {
      self->limits_stale_ = true;
      if (msg->_private) self->refused_.insert(decode_source(msg->_private));
    }
    self->log_.warn("producer", "delivery failed",
                    {{"topic", rd_kafka_topic_name(msg->rkt)}, {"error", rd_kafka_err2str(msg->err)}});
  }
}

void runner::on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                          rd_kafka_topic_partition_list_t* parts, void* opaque) {
  auto* self = static_cast<runner*>(opaque);
  self->m_.rebalances.Increment();
  const bool cooperative = std::string_view(rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE";
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    self->log_.info("consumer", "partitions assigned", {{"count", std::to_string(parts->cnt)}});
    if (cooperative) {
      kafka_error e(rd_kafka_incremental_assign(rk, parts));
      if (e) self->log_.error("consumer", "incremental assign failed", {{"error", rd_kafka_error_string(e.get())}});
    } else {
      rd_kafka_assign(rk, parts);
    }
    self->refresh_assignment();
    return;
  }
  // Revocation: while we still own the partitions, finish the open batch so
  // its outputs and offsets commit under this generation. If that fails the
  // batch is aborted and its records will be read again by the next owner
  // (or by us, for partitions we keep) from the committed offsets.
  self->log_.info("consumer", "partitions revoked", {{"count", std::to_string(parts->cnt)}});
  if (self->batch_open_ && !self->commit_batch()) self->rewind();
  self->positions_.clear();
  for (int i = 0; i < parts->cnt; ++i) self->m_.forget_lag(parts->elems[i].partition);
  if (cooperative) {
    kafka_error e(rd_kafka_incremental_unassign(rk, parts));
  } else {
    rd_kafka_assign(rk, nullptr);
  }
  self->refresh_assignment();
}

// ---- set-up

// What both clients report to us: logs, errors and statistics.
void runner::install_callbacks(rd_kafka_conf_t* conf) {
  rd_kafka_conf_set_opaque(conf, this);
  rd_kafka_conf_set_log_cb(conf, on_log);
  rd_kafka_conf_set_error_cb(conf, on_error);
  rd_kafka_conf_set_stats_cb(conf, on_stats);
}

void runner::create_clients() {
  char err[512];
  auto cconf = build_kafka_conf(cfg_, client_role::consumer);
  install_callbacks(cconf.get());
  rd_kafka_conf_set_rebalance_cb(cconf.get(), on_rebalance);
  // rd_kafka_new takes ownership of the conf only on success.
  consumer_.reset(rd_kafka_new(RD_KAFKA_CONSUMER, cconf.get(), err, sizeof err));
  if (!consumer_) throw config_error(std::string("cannot create the consumer: ") + err);
  cconf.release();
  rd_kafka_poll_set_consumer(consumer_.get());
  refresh_limits();
  create_producer();
}

// The output topics' record size limits, and a producer batch size that
// keeps whole record batches under the smallest of them (the broker checks
// the batch, not the record).
void runner::refresh_limits() {
  std::vector<std::string> topics = {cfg_.output_topic, cfg_.dead_letter_topic};
  if (!cfg_.figures_topic.empty()) topics.push_back(cfg_.figures_topic);
  if (auto got = describe_topic_limits(consumer_.get(), topics, 5000)) {
    limits_ = std::move(*got);
    refused_.clear();  // the local check now catches what the broker refused
  } else {
    // Limits unknown (broker away, no DescribeConfigs right): fall back to
    // dead-lettering exactly the inputs whose outputs were refused.
    poisoned_.insert(refused_.begin(), refused_.end());
    refused_.clear();
  }
  limits_stale_ = false;
}

// A topic's limit shrank while we ran (the broker refused records for good).
// Re-read the limits; if record batches may now be too large for a topic,
// replace the producer with one that builds smaller batches.
void runner::adapt_to_new_limits() {
  refresh_limits();
  if (shrink_batches_if_needed() && exactly_once() && !init_transactions()) fatal_ = true;
}

// Replaces the producer by one with a smaller batch.size when an output
// topic takes less than the current one; true if it did.
bool runner::shrink_batches_if_needed() {
  if (cfg_.kafka_producer.count("batch.size") || cfg_.kafka_common.count("batch.size")) return false;
  std::int64_t smallest = batch_size_;
  for (const auto& [topic, limit] : limits_) smallest = std::min(smallest, limit);
  if (smallest >= batch_size_) return false;
  log_.warn("producer", "an output topic takes records smaller than the producer's batches; "
            "recreating the producer", {{"batch_size", std::to_string(smallest)}});
  rd_kafka_flush(producer_.get(), static_cast<int>(cfg_.shutdown_timeout_ms));
  producer_.reset();
  create_producer();
  return true;
}

bool runner::fits(const std::string& topic, std::size_t key, std::size_t value,
                  std::size_t headers) const {
  auto it = limits_.find(topic);
  return it == limits_.end() || record_footprint(key, value, headers) <= it->second;
}

// Every record an item would produce (event and figure rows) fits its topic:
// an item is published whole or dead-lettered whole.
bool runner::outputs_fit(const core::outcome& out) {
  if (!fits(cfg_.output_topic, out.key.size(), out.payload.size())) return false;
  auto limit = limits_.find(cfg_.figures_topic);
  if (cfg_.figures_topic.empty() || limit == limits_.end()) return true;
  // Figure rows are small; encode them for the check only when a generous
  // bound (every string fully escaped) says they might not fit.
  const auto& it = pipeline_.last_item();
  std::size_t longest_text = 0;
  for (const auto& f : pipeline_.figures()) longest_text = std::max(longest_text, f.text.size());
  std::size_t bound = 6 * (it.id.size() + it.source.size() + it.url.size() + it.published_at.size() +
                           longest_text) + 1024;
  if (record_footprint(out.key.size(), bound) <= limit->second) return true;
  for (std::size_t i = 0; i < pipeline_.figures().size(); ++i)
    if (!fits(cfg_.figures_topic, out.key.size(), pipeline_.figure_record(i, "").size() + 32)) return false;
  return true;
}

void runner::create_producer() {
  char err[512];
  auto pconf = build_kafka_conf(cfg_, client_role::producer);
  install_callbacks(pconf.get());
  rd_kafka_conf_set_dr_msg_cb(pconf.get(), on_delivery);
  batch_size_ = 1000000;  // librdkafka's default
  if (!cfg_.kafka_producer.count("batch.size") && !cfg_.kafka_common.count("batch.size")) {
    for (const auto& [topic, limit] : limits_) batch_size_ = std::min(batch_size_, limit);
    rd_kafka_conf_set(pconf.get(), "batch.size", std::to_string(batch_size_).c_str(), err, sizeof err);
  }
  producer_.reset(rd_kafka_new(RD_KAFKA_PRODUCER, pconf.get(), err, sizeof err));
  if (!producer_) throw config_error(std::string("cannot create the producer: ") + err);
  pconf.release();
}

// init_transactions needs the transaction coordinator: retried with backoff
// while the broker is unreachable, so the daemon can start before Kafka.
bool runner::init_transactions() {
  int backoff_ms = 500;
  while (!stop_) {
    kafka_error e(rd_kafka_init_transactions(producer_.get(), 10000));
    if (!e) return true;
    if (rd_kafka_error_is_fatal(e.get())) {
      log_.error("producer", "cannot initialise transactions",
                 {{"error", rd_kafka_error_string(e.get())}});
      return false;
    }
    log_.warn("producer", "transactions not ready yet; retrying",
              {{"error", rd_kafka_error_string(e.get())}, {"backoff_ms", std::to_string(backoff_ms)}});
    std::this_thread::sleep_for(milliseconds(backoff_ms));
    backoff_ms = std::min(backoff_ms * 2, 10000);
  }
  return false;
}

// ---- per record

rd_kafka_resp_err_t runner::produce(const std::string& topic, std::string_view key,
                                    std::string_view value, rd_kafka_headers_t* headers,
                                    const rd_kafka_message_t* source) {
  void* opaque = source ? encode_source(source->partition, source->offset) : nullptr;
  for (;;) {
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
        RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
        RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return err;  // headers now owned by librdkafka
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      // Backpressure: the producer queue is at its bound. Serve delivery
      // reports until there is room instead of buffering more.
      rd_kafka_poll(producer_.get(), 50);
      continue;
    }
    // Not queued. A permanent refusal of this one record (larger than
    // message.max.bytes) is the caller's to handle by rule; anything else
    // fails the batch so that no offset is committed past it.
    if (headers) rd_kafka_headers_destroy(headers);
    m_.produce_errors.Increment();
    if (err == RD_KAFKA_RESP_ERR__STATE) {
      batch_failed_ = true;  // the transaction already needs an abort
      return err;
    }
    log_.warn("producer", "produce failed", {{"topic", topic}, {"error", rd_kafka_err2str(err)}});
    if (!is_permanent(err)) ++delivery_failures_;
    return err;
  }
}

void runner::send_dead_letter(const rd_kafka_message_t* msg, std::string_view reason,
                              std::string_view error) {
  m_.dead_letters(reason).Increment();
  rd_kafka_headers_t* h = rd_kafka_headers_new(8);
  auto add = [h](const char* name, std::string_view v) { rd_kafka_header_add(h, name, -1, v.data(), v.size()); };
  add("coopwatch.reason", reason);
  add("coopwatch.error", error);
  add("coopwatch.source.topic", rd_kafka_topic_name(msg->rkt));
  add("coopwatch.source.partition", std::to_string(msg->partition));
  add("coopwatch.source.offset", std::to_string(msg->offset));
  add("coopwatch.pipeline_version", COOPWATCH_VERSION);
  std::string_view key(static_cast<const char*>(msg->key), msg->key ? msg->key_len : 0);
  std::string_view value(static_cast<const char*>(msg->payload), msg->payload ? msg->len : 0);
  // A record larger than the dead-letter topic takes (a 50 MB page) keeps
  // its head and says how long it was; everything else goes unchanged.
  std::int64_t room = cfg_.max_dead_letter_bytes;
  if (auto it = limits_.find(cfg_.dead_letter_topic); it != limits_.end())
    room = std::min<std::int64_t>(room, it->second - record_footprint(key.size(), 0, 1024));
  if (static_cast<std::int64_t>(value.size()) > room) {
    add("coopwatch.truncated_from", std::to_string(value.size()));
    value = value.substr(0, static_cast<std::size_t>(std::max<std::int64_t>(room, 0)));
  }
  produce(cfg_.dead_letter_topic, key, value, h, nullptr);
}

void runner::open_batch() {
  if (batch_open_) return;
  batch_open_ = true;
  batch_failed_ = false;
  batch_opened_ = steady::now();
  batch_records_ = 0;
  delivery_failures_ = 0;
  if (exactly_once()) {
    kafka_error e(rd_kafka_begin_transaction(producer_.get()));
    if (e) {
      log_.error("producer", "cannot begin a transaction", {{"error", rd_kafka_error_string(e.get())}});
      if (rd_kafka_error_is_fatal(e.get())) fatal_ = true;
      batch_failed_ = true;  // aborted and rewound by the loop
    }
  }
}

void runner::consume_one(rd_kafka_message_t* msg) {
  open_batch();
  auto& range = batch_[msg->partition];
  if (range.first < 0) range.first = msg->offset;
  range.next = msg->offset + 1;
  positions_[msg->partition] = range.next;
  ++batch_records_;
  // A doomed transaction takes no more work: the record is read again after
  // the abort and rewind.
  if (batch_failed_) return;
  m_.consumed.Increment();
  m_.consumed_bytes.Increment(static_cast<double>(msg->len));
  rd_kafka_timestamp_type_t tstype;
  batch_timestamps_.push_back(rd_kafka_message_timestamp(msg, &tstype));

  std::string_view record(static_cast<const char*>(msg->payload), msg->payload ? msg->len : 0);
  auto started = steady::now();
  timer_.start();
  const std::string& now = clock_.now();
  auto out = pipeline_.process(record, now, &timer_);
  m_.record_seconds.Observe(seconds_since(started));
  if (out.kind == core::verdict::publish && poisoned_.erase({msg->partition, msg->offset})) {
    // Its event was refused for good on an earlier try: dead-letter it.
    send_dead_letter(msg, "output_rejected", "the output topic refused the event (too large or invalid)");
    return;
  }
  if (out.kind == core::verdict::publish && !outputs_fit(out)) {
    send_dead_letter(msg, "output_rejected", "the event is larger than the output topic accepts");
    return;
  }
  switch (out.kind) {
    case core::verdict::publish:
    {
      if (is_permanent(produce(cfg_.output_topic, out.key, out.payload, nullptr, msg))) {
        send_dead_letter(msg, "output_rejected", "the event is larger than the producer accepts");
        break;
      }
      m_.published.Increment();
      const auto& figures = pipeline_.figures();
      for (std::size_t i = 0; i < figures.size(); ++i) {
        m_.figures(figures[i].metric, figures[i].unit).Increment();
        // Keyed like the event, so an item's figures share its partition.
        if (!cfg_.figures_topic.empty())
          produce(cfg_.figures_topic, out.key, pipeline_.figure_record(i, now), nullptr, msg);
      }
      break;
    }
    case core::verdict::irrelevant:
      m_.irrelevant.Increment();
      break;
    case core::verdict::dead_letter: {
      std::string error(core::error_message(out.error));
      if (!out.detail.empty()) error += " (" + std::string(out.detail) + ")";
      send_dead_letter(msg, core::error_name(out.error), error);
      log_.debug("pipeline", "dead letter",
                 {{"reason", std::string(core::error_name(out.error))},
                  {"partition", std::to_string(msg->partition)}, {"offset", std::to_string(msg->offset)}});
      break;
    }
  }
}

// ---- batches

kafka_partitions runner::batch_offsets(bool first) const {
  kafka_partitions list(rd_kafka_topic_partition_list_new(static_cast<int>(batch_.size())));
  for (const auto& [partition, range] : batch_)
    rd_kafka_topic_partition_list_add(list.get(), cfg_.input_topic.c_str(), partition)->offset =
        first ? range.first : range.next;
  return list;
}

// Runs one transactional API call until it succeeds, needs an abort, or is
// fatal. A retriable failure (a timeout) is retried by calling the same API
// again, which resumes it; calling another one would conflict.
template <typename Call>
runner::txn_result runner::txn_call(const char* what, Call&& call) {
  for (int attempt = 1;; ++attempt) {
    kafka_error e(call());
    if (!e) return txn_result::ok;
    if (rd_kafka_error_is_fatal(e.get())) {
      log_.error("producer", std::string(what) + " failed fatally", {{"error", rd_kafka_error_string(e.get())}});
      fatal_ = true;
      m_.health().alive = false;
      return txn_result::fatal;
    }
    if (rd_kafka_error_txn_requires_abort(e.get())) {
      log_.warn("producer", std::string(what) + " failed; the transaction will be aborted",
                {{"error", rd_kafka_error_string(e.get())}});
      return txn_result::abort;
    }
    if (!rd_kafka_error_is_retriable(e.get()) || attempt >= 20) {
      log_.warn("producer", std::string(what) + " gave up", {{"error", rd_kafka_error_string(e.get())}});
      return txn_result::abort;
    }
    log_.warn("producer", std::string(what) + " not confirmed yet; retrying",
              {{"error", rd_kafka_error_string(e.get())}, {"attempt", std::to_string(attempt)}});
  }
}

bool runner::commit_transaction(rd_kafka_topic_partition_list_t* offsets) {
  kafka_group_metadata group(rd_kafka_consumer_group_metadata(consumer_.get()));
  const int timeout = static_cast<int>(cfg_.shutdown_timeout_ms);
  auto r = txn_call("send_offsets_to_transaction", [&] {
    return rd_kafka_send_offsets_to_transaction(producer_.get(), offsets, group.get(), timeout);
  });
  if (r == txn_result::ok)
    r = txn_call("commit_transaction", [&] { return rd_kafka_commit_transaction(producer_.get(), timeout); });
  if (r == txn_result::ok) return true;
  if (r == txn_result::abort) abort_batch("the transaction could not be committed");
  return false;
}

bool runner::commit_batch() {
  if (!batch_open_) return true;
  bool ok;
  auto offsets = batch_offsets(false);
  if (exactly_once()) {
    ok = commit_transaction(offsets.get());
  } else {
    // At-least-once: offsets follow delivery. Wait for every record of the
    // batch to be acknowledged; commit only if all were.
    rd_kafka_flush(producer_.get(), static_cast<int>(cfg_.shutdown_timeout_ms));
    if (rd_kafka_outq_len(producer_.get()) > 0 || delivery_failures_ > 0) {
      abort_batch(delivery_failures_ > 0 ? "a record of the batch was not delivered"
                                         : "the producer did not drain in time");
      ok = false;
    } else {
      auto err = rd_kafka_commit(consumer_.get(), offsets.get(), 0);
      if (err) {
        // Outputs are delivered; the offsets are not stored, so the records
        // will be read again (duplicates, never losses).
        log_.warn("consumer", "offset commit failed", {{"error", rd_kafka_err2str(err)}});
      }
      ok = true;
    }
  }
  if (ok) {
    m_.batches_committed.Increment();
    m_.update_relevant_ratio();
    m_.batch_seconds.Observe(seconds_since(batch_opened_));
    auto now_ms = std::chrono::duration_cast<milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
    for (auto ts : batch_timestamps_)
      if (ts > 0) m_.end_to_end_seconds.Observe(static_cast<double>(now_ms - ts) / 1000.0);
    batch_.clear();
  }
  batch_timestamps_.clear();
  batch_open_ = false;
  return ok;
}

void runner::abort_batch(std::string_view why) {
  m_.batches_aborted.Increment();
  log_.warn("runner", "batch aborted; rewinding to its first offsets",
            {{"reason", std::string(why)}, {"records", std::to_string(batch_records_)}});
  if (exactly_once() && !fatal_) {
    const int timeout = static_cast<int>(cfg_.shutdown_timeout_ms);
    txn_call("abort_transaction", [&] { return rd_kafka_abort_transaction(producer_.get(), timeout); });
  }
  batch_open_ = false;
  batch_failed_ = false;
}

// After an aborted batch, every partition it read from goes back to the
// batch's first offset, so the records are processed again.
void runner::rewind() {
  if (batch_.empty()) return;
  auto list = batch_offsets(true);
  kafka_error e(rd_kafka_seek_partitions(consumer_.get(), list.get(), 5000));
  if (e) log_.warn("consumer", "seek failed", {{"error", rd_kafka_error_string(e.get())}});
  for (const auto& [partition, range] : batch_) positions_[partition] = range.first;
  batch_.clear();
  batch_timestamps_.clear();
}

void runner::maybe_reload() {
  if (!reload_.exchange(false)) return;
  try {
    pipeline_ = make_();
    log_.info("runner", "data files reloaded", {{"data_dir", cfg_.data_dir}});
  } catch (const std::exception& e) {
    log_.error("runner", "reload failed; keeping the previous data", {{"error", e.what()}});
  }
}

// Which of our topics the cluster lacks; false if no broker answered.
bool runner::missing_topics(std::string& missing) {
  const rd_kafka_metadata_t* md = nullptr;
  if (rd_kafka_metadata(producer_.get(), 1, nullptr, &md, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR) return false;
  std::vector<std::string> wanted = {cfg_.input_topic, cfg_.output_topic, cfg_.dead_letter_topic};
  if (!cfg_.figures_topic.empty()) wanted.push_back(cfg_.figures_topic);
  missing.clear();
  for (const auto& name : wanted) {
    bool found = false;
    for (int i = 0; i < md->topic_cnt; ++i)
      if (name == md->topics[i].topic && md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR) found = true;
    if (!found) missing += (missing.empty() ? "" : ", ") + name;
  }
  rd_kafka_metadata_destroy(md);
  return true;
}

// Waits until a broker answers and every topic exists. A daemon often starts
// beside its cluster (compose, a topic-creating job), so missing topics are
// waited for startup.topic_wait_ms after the broker first answered; then
// they are a clear error (auto-creation is off on production clusters, and a
// missing output topic would fail every batch forever).
bool runner::wait_for_topics() {
  std::optional<steady::time_point> answered_since;
  steady::time_point last_log{};
  std::string missing;
  while (!stop_) {
    const bool answered = missing_topics(missing);
    if (answered && missing.empty()) return true;
    const auto now = steady::now();
    if (answered && !answered_since) answered_since = now;
    if (answered_since && now - *answered_since >= milliseconds(cfg_.topic_wait_ms)) {
      log_.error("runner", "topics do not exist; create them (scripts/kafka-up does for a local "
                 "broker) or point topics.* at existing ones; topics.figures may be set empty",
                 {{"missing", missing}});
      return false;
    }
    if (now - last_log >= std::chrono::seconds(10)) {
      if (answered) log_.warn("runner", "waiting for topics to be created", {{"missing", missing}});
      else log_.warn("runner", "waiting for a broker to answer", {{"brokers", cfg_.brokers}});
      last_log = now;
    }
    std::this_thread::sleep_for(milliseconds(500));
  }
  return false;
}

int runner::run() {
  create_clients();
  log_.info("runner", "starting",
            {{"brokers", cfg_.brokers}, {"group", cfg_.group_id}, {"input", cfg_.input_topic},
             {"output", cfg_.output_topic}, {"dead_letter", cfg_.dead_letter_topic},
             {"figures", cfg_.figures_topic},
             {"delivery", cfg_.delivery == delivery_mode::exactly_once ? "exactly_once" : "at_least_once"},
             {"metrics", cfg_.metrics_listen}});
  if (!wait_for_topics()) return stop_ ? 0 : 2;
  // Now that the topics answer, size the producer's batches to their limits.
  refresh_limits();
  shrink_batches_if_needed();
  if (exactly_once() && !init_transactions()) return stop_ ? 0 : 1;

  {
    kafka_partitions topics(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(topics.get(), cfg_.input_topic.c_str(), RD_KAFKA_PARTITION_UA);
    if (auto err = rd_kafka_subscribe(consumer_.get(), topics.get()); err)
      throw config_error(std::string("cannot subscribe to ") + cfg_.input_topic + ": " + rd_kafka_err2str(err));
  }

  const auto max_wait = milliseconds(cfg_.batch_max_ms);
  while (!stop_ && !fatal_) {
    apply_backpressure();
    int timeout = 100;
    if (batch_open_) {
      auto left = std::chrono::duration_cast<milliseconds>(max_wait - (steady::now() - batch_opened_)).count();
      timeout = static_cast<int>(std::clamp<long long>(left, 0, 100));
    }
    kafka_message msg(rd_kafka_consumer_poll(consumer_.get(), timeout));
    rd_kafka_poll(producer_.get(), 0);  // delivery reports
    if (msg) {
      if (msg->err) {
        if (msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
          log_.warn("consumer", rd_kafka_message_errstr(msg.get()),
                    {{"error", rd_kafka_err2name(msg->err)}});
      } else {
        m_.health().broker_reachable = true;
        consume_one(msg.get());
      }
    }
    if (batch_open_ && batch_failed_) {
      abort_batch("a record of the batch could not be written");
      rewind();
    }
    if (!batch_open_ && limits_stale_ && !fatal_) adapt_to_new_limits();
    if (batch_open_ && (batch_records_ >= static_cast<std::size_t>(cfg_.batch_max_records) ||
                        steady::now() - batch_opened_ >= max_wait)) {
      if (!commit_batch()) rewind();
    }
    if (!batch_open_) maybe_reload();
  }

  // Shutdown: a watchdog bounds the time we take; then finish the batch,
  // leave the group (which commits nothing more: the batch is closed) and
  // flush the producer.
  std::thread([timeout = cfg_.shutdown_timeout_ms, this] {
    std::this_thread::sleep_for(milliseconds(timeout + 5000));
    log_.error("runner", "shutdown took too long; exiting");
    _exit(3);
  }).detach();
  log_.info("runner", fatal_ ? "stopping after a fatal error" : "stopping: finishing the open batch");
  if (batch_open_ && !fatal_ && !commit_batch()) rewind();
  rd_kafka_consumer_close(consumer_.get());
  rd_kafka_flush(producer_.get(), static_cast<int>(cfg_.shutdown_timeout_ms));
  log_.info("runner", "stopped");
  return fatal_ ? 1 : 0;
}

}  // namespace

int run_daemon(const config& cfg, const pipeline_factory& make_pipeline, logger& log, metrics& m,
               std::atomic<bool>& stop, std::atomic<bool>& reload) {
  runner r(cfg, make_pipeline, log, m, stop, reload);
  return r.run();
}

}  // namespace coopwatch::io

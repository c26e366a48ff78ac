#include "io/runner.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "io/batch_tracker.h"
#include "io/clock.h"
#include "io/dead_letter.h"
#include "io/fetch_wakeup.h"
#include "io/histogram_tally.h"
#include "io/kafka_stats.h"
#include "io/pipeline_workers.h"
#include "io/topic_limits.h"
#include "io/topic_wait.h"

namespace coopwatch::io {

namespace {

using steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

// At-least-once: closed batches awaiting their acknowledgements. When this
// many wait, the loop serves acknowledgements instead of polling records
// (the fetched ones stay queued); if that lasts kWindowWait (a broker away),
// input pauses, so the group is still served, until half of them committed.
constexpr std::size_t kMaxInFlight = 4;
constexpr auto kWindowWait = std::chrono::seconds(1);
// Records polled per round of processing and worker: large enough that a
// round outweighs its fixed costs (waking the workers, flushing the stage
// timings, a poll of the producer), small enough to keep a batch's latency.
// Only records already fetched join a round: it never waits for more.
constexpr std::size_t kChunkPerWorker = 128;
// After a clean stop, how long releasing the Kafka clients may take.
constexpr auto kReleaseWait = std::chrono::seconds(3);

double seconds_since(steady::time_point t) {
  return std::chrono::duration<double>(steady::now() - t).count();
}

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

// The input record's ticket rides in the output's per-message opaque, so its
// delivery report names the record and its batch.
void* ticket_opaque(ticket t) { return reinterpret_cast<void*>(static_cast<std::uintptr_t>(t)); }
ticket opaque_ticket(void* opaque) { return static_cast<ticket>(reinterpret_cast<std::uintptr_t>(opaque)); }

class runner {
 public:
  runner(const config& cfg, const pipeline_factory& make, logger& log, metrics& m,
         std::atomic<bool>& stop, std::atomic<bool>& reload)
      : cfg_(cfg), make_(make), log_(log), m_(m), stop_(stop), reload_(reload),
        workers_(make, static_cast<std::size_t>(cfg.workers), !cfg.figures_topic.empty(), m) {}

  int run();

 private:
  void create_clients();
  void install_callbacks(rd_kafka_conf_t* conf);
  bool init_transactions();
  void poll_chunk(int timeout_ms);
  void accept(kafka_message msg);
  void handle_chunk();
  void publish(const rd_kafka_message_t* msg, const record_result& r, ticket t);
  rd_kafka_resp_err_t produce(const std::string& topic, std::string_view key,
                              std::string_view value, rd_kafka_headers_t* headers, ticket t);
  void send_dead_letter(const rd_kafka_message_t* msg, std::string_view reason, std::string_view error,
                        ticket t);
  void begin_batch();
  void close_batch();
  void settle(bool sync);
  void finish_batches();
  void commit_offsets(const std::vector<tracked_batch>& done, bool sync);
  void count_committed(const tracked_batch& b);
  enum class txn_result { ok, abort, fatal };
  txn_result commit_transaction(const tracked_batch& b);
  template <typename Call>
  txn_result txn_call(const char* what, Call&& call);
  void fail_batches(std::string_view why);
  void rewind(const std::map<std::int32_t, std::int64_t>& to);
  [[nodiscard]] bool batch_due() const;
  void maybe_reload();
  void create_producer();
  void refresh_limits();
  void adapt_to_new_limits();
  [[nodiscard]] bool outputs_fit(const record_result& r) const;
  [[nodiscard]] bool fits(const std::string& topic, std::size_t key, std::size_t value,
                          std::size_t headers = 0) const;
  bool shrink_batches_if_needed();
  [[nodiscard]] kafka_partitions partition_list(const std::map<std::int32_t, std::int64_t>& offsets) const;
  [[nodiscard]] bool exactly_once() const { return cfg_.delivery == delivery_mode::exactly_once; }

  static void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* parts, void* opaque);
  static void on_delivery(rd_kafka_t* rk, const rd_kafka_message_t* msg, void* opaque);
  static void on_commit(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                        rd_kafka_topic_partition_list_t* offsets, void* opaque);
  static void on_log(const rd_kafka_t* rk, int level, const char* fac, const char* buf);
  static void on_error(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  static int on_stats(rd_kafka_t* rk, char* json, size_t len, void* opaque);
  void refresh_assignment();
  void apply_backpressure();
  void set_paused(bool paused, std::string_view why, log_level level = log_level::info);
  void keep_fetching();

  const config& cfg_;
  const pipeline_factory& make_;
  logger& log_;
  metrics& m_;
  std::atomic<bool>& stop_;
  std::atomic<bool>& reload_;
  pipeline_workers workers_;
  utc_clock clock_;
  histogram_tally end_to_end_{latency_buckets()};  // a committed batch's records, observed at once

  kafka_handle consumer_;
  kafka_handle producer_;

  kafka_queue consumer_queue_;                     // the consumer's queue, for its length
  std::optional<fetch_wakeup_policy> wakeup_policy_;  // with librdkafka < 2.2 only
  std::unique_ptr<fetch_wakeup> wakeup_;          // after consumer_: stopped before it goes
  std::uint64_t records_read_ = 0, bytes_read_ = 0;  // for the mean record size

  batch_tracker batches_;                    // the open batch and those awaiting commit
  std::vector<kafka_message> chunk_;         // polled, not yet processed
  std::vector<std::string_view> records_;    // the chunk's payloads, for the workers
  std::vector<ticket> tickets_;              // the chunk's tickets
  std::set<std::pair<std::int32_t, std::int64_t>> refused_;   // inputs whose outputs the broker refused
  std::set<std::pair<std::int32_t, std::int64_t>> poisoned_;  // ... to dead-letter on replay
  topic_limits limits_;             // max.message.bytes of the output topics, if known
  std::int64_t batch_size_ = 0;     // the producer's batch.size
  bool limits_stale_ = false;       // a permanent refusal: the limits changed
  std::map<std::int32_t, std::int64_t> positions_;  // next offset to process, per partition
  bool paused_ = false;                        // input partitions paused for backpressure
  bool queued_pause_ = false;                  // ... because the producer queue was high
  std::optional<steady::time_point> window_full_since_;  // kMaxInFlight batches in flight since
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
// is high, or kMaxInFlight batches wait for their acknowledgements, the input
// partitions are paused (the loop keeps polling, so the group membership and
// rebalances are served) and resumed once both drained to half. Memory stays
// bounded by the producer queue's limits, and produce() waiting on
// QUEUE_FULL remains only the last resort.
void runner::apply_backpressure() {
  constexpr int kHigh = 10000, kLow = 5000;  // messages waiting in the producer
  const int queued = rd_kafka_outq_len(producer_.get());
  const std::size_t in_flight = batches_.in_flight();
  if (in_flight < kMaxInFlight) window_full_since_.reset();
  else if (!window_full_since_) window_full_since_ = steady::now();
  if (!paused_ && queued >= kHigh) set_paused(true, "producer queue high");
  // Batches waiting that long is news of a slow broker, not of load.
  else if (!paused_ && window_full_since_ && steady::now() - *window_full_since_ >= kWindowWait)
    set_paused(true, "batches awaiting acknowledgement", log_level::debug);
  else if (paused_ && queued <= kLow && in_flight <= kMaxInFlight / 2)
    set_paused(false, "drained", queued_pause_ ? log_level::info : log_level::debug);
}

void runner::set_paused(bool paused, std::string_view why, log_level level) {
  rd_kafka_topic_partition_list_t* raw = nullptr;
  if (rd_kafka_assignment(consumer_.get(), &raw) || !raw) return;
  kafka_partitions assigned(raw);
  if (paused) rd_kafka_pause_partitions(consumer_.get(), assigned.get());
  else rd_kafka_resume_partitions(consumer_.get(), assigned.get());
  if (paused && !paused_) queued_pause_ = level != log_level::debug;
  paused_ = paused;
  m_.paused.Set(paused ? 1 : 0);
  log_.log(level, "runner", paused ? "input paused" : "input resumed",
            {{"reason", std::string(why)}, {"queued", std::to_string(rd_kafka_outq_len(producer_.get()))},
             {"batches_in_flight", std::to_string(batches_.in_flight())}});
}

// With librdkafka < 2.2, wakes the fetcher that a full prefetch queue
// stopped, once the queue has room again (fetch_wakeup.h).
void runner::keep_fetching() {
  if (!wakeup_ || paused_ || records_read_ == 0) return;
  const double mean = static_cast<double>(bytes_read_) / static_cast<double>(records_read_);
  if (!wakeup_policy_->due(static_cast<std::size_t>(rd_kafka_queue_length(consumer_queue_.get())), mean)) return;
  std::vector<std::int32_t> partitions;
  for (const auto& [partition, next] : positions_) partitions.push_back(partition);
  wakeup_->wake(std::move(partitions));
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
  if (paused_ && count > 0) set_paused(true, "still paused", log_level::debug);
  m_.ready.Set(m_.health().ready() ? 1 : 0);
}

void runner::on_delivery(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
  auto* self = static_cast<runner*>(opaque);
  auto source = self->batches_.delivered(opaque_ticket(msg->_private), !msg->err);
  if (!msg->err) return;
  // Purged records belong to an aborted transaction: not news.
  if (msg->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || msg->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT) return;
  self->m_.produce_errors.Increment();
  const std::string_view topic = rd_kafka_topic_name(msg->rkt);
  // The broker refused this record for good: when the batch is replayed,
  // its input record goes to the dead-letter topic instead.
  if (is_permanent(msg->err)) {
    self->limits_stale_ = true;
    if (source && topic != self->cfg_.dead_letter_topic) self->refused_.insert({source->partition, source->offset});
  }
  self->log_.warn("producer", "delivery failed",
                  {{"topic", std::string(topic)}, {"error", rd_kafka_err2str(msg->err)}});
}

// Asynchronous offset commits report here. A failed one loses nothing: the
// records are read again (duplicates), and a later commit supersedes it.
void runner::on_commit(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t*,
                       void* opaque) {
  if (!err || err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
  static_cast<runner*>(opaque)->log_.warn("consumer", "offset commit failed", {{"error", rd_kafka_err2str(err)}});
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
    // librdkafka keeps a partition's pause across unassign and assign: one
    // paused in an earlier generation would otherwise never fetch again.
    if (!self->paused_) rd_kafka_resume_partitions(rk, parts);
    self->refresh_assignment();
    return;
  }
  // Revocation: while we still own the partitions, process what was polled,
  // then finish the batches so their outputs and offsets commit under this
  // generation. What fails is rewound and read again by the next owner (or
  // by us, for partitions we keep) from the committed offsets.
  self->log_.info("consumer", "partitions revoked", {{"count", std::to_string(parts->cnt)}});
  self->handle_chunk();
  self->finish_batches();
  self->positions_.clear();
  for (int i = 0; i < parts->cnt; ++i) self->m_.forget_lag(parts->elems[i].partition);
  rd_kafka_resume_partitions(rk, parts);  // leave no pause behind (see above)
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
  rd_kafka_conf_set_offset_commit_cb(cconf.get(), on_commit);
  const std::int64_t queue_kbytes = conf_number(cconf.get(), "queued.max.messages.kbytes");
  const std::int64_t queue_records = conf_number(cconf.get(), "queued.min.messages");
  // rd_kafka_new takes ownership of the conf only on success.
  consumer_.reset(rd_kafka_new(RD_KAFKA_CONSUMER, cconf.get(), err, sizeof err));
  if (!consumer_) throw config_error(std::string("cannot create the consumer: ") + err);
  cconf.release();
  rd_kafka_poll_set_consumer(consumer_.get());
  consumer_queue_.reset(rd_kafka_queue_get_consumer(consumer_.get()));
  if (!librdkafka_backs_off_briefly() && consumer_queue_) {
    wakeup_policy_.emplace(queue_kbytes * 1024, queue_records);
    wakeup_ = std::make_unique<fetch_wakeup>(consumer_.get(), cfg_.input_topic, m_.fetch_wakeups, log_);
  }
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
  batches_.forget_dropped();  // their last reports went with the old producer
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
bool runner::outputs_fit(const record_result& r) const {
  if (!fits(cfg_.output_topic, r.key.size(), r.payload.size())) return false;
  if (cfg_.figures_topic.empty()) return true;
  for (const auto& f : r.figures)
    if (!fits(cfg_.figures_topic, r.key.size(), f.record.size())) return false;
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
                                    std::string_view value, rd_kafka_headers_t* headers, ticket t) {
  for (;;) {
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
        RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
        RD_KAFKA_V_OPAQUE(ticket_opaque(t)), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {  // headers now owned by librdkafka
      batches_.output_queued(t);  // reports come from poll() on this thread, never before this
      return err;
    }
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
      batches_.output_failed(t);  // the transaction already needs an abort
      return err;
    }
    log_.warn("producer", "produce failed", {{"topic", topic}, {"error", rd_kafka_err2str(err)}});
    if (!is_permanent(err)) batches_.output_failed(t);
    return err;
  }
}

void runner::send_dead_letter(const rd_kafka_message_t* msg, std::string_view reason,
                              std::string_view error, ticket t) {
  m_.dead_letters(reason).Increment();
  // A record larger than the dead-letter topic takes (a 50 MB page) keeps
  // its head; everything else goes unchanged.
  std::int64_t room = cfg_.max_dead_letter_bytes;
  if (auto it = limits_.find(cfg_.dead_letter_topic); it != limits_.end())
    room = std::min<std::int64_t>(room, it->second - record_footprint(msg->key ? msg->key_len : 0, 0, 1024));
  auto letter = make_dead_letter(msg, reason, error, room);
  produce(cfg_.dead_letter_topic, letter.key, letter.value, letter.headers, t);
}

// Polls one record, waiting up to `timeout_ms`, then takes whatever else is
// already fetched, up to a chunk that still fits the open batch.
void runner::poll_chunk(int timeout_ms) {
  accept(kafka_message(rd_kafka_consumer_poll(consumer_.get(), timeout_ms)));
  if (chunk_.empty()) return;
  const auto* open = batches_.open_batch();
  const std::size_t room = static_cast<std::size_t>(cfg_.batch_max_records) - (open ? open->records.size() : 0);
  const std::size_t want = std::min(room, kChunkPerWorker * workers_.workers());
  // A revocation inside a poll handles the chunk so far: it may empty it.
  while (!chunk_.empty() && chunk_.size() < want) {
    kafka_message msg(rd_kafka_consumer_poll(consumer_.get(), 0));
    if (!msg) break;
    accept(std::move(msg));
  }
}

void runner::accept(kafka_message msg) {
  if (!msg) return;
  if (msg->err) {
    if (msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
      log_.warn("consumer", rd_kafka_message_errstr(msg.get()), {{"error", rd_kafka_err2name(msg->err)}});
    return;
  }
  m_.health().broker_reachable = true;
  chunk_.push_back(std::move(msg));
}

// The polled records join the open batch (so a rewind covers them), run
// through the pipelines, and their outputs are produced in input order.
void runner::handle_chunk() {
  if (chunk_.empty()) return;
  if (!batches_.open_batch()) begin_batch();
  tickets_.clear();
  records_.clear();
  const auto now = steady::now();
  for (const auto& msg : chunk_) {
    tickets_.push_back(batches_.add({msg->partition, msg->offset}, now));
    positions_[msg->partition] = msg->offset + 1;
    records_.emplace_back(static_cast<const char*>(msg->payload), msg->payload ? msg->len : 0);
  }
  // A doomed batch takes no more work: its records are read again after the
  // rewind.
  if (!batches_.any_failed()) {
    auto& open = *batches_.open_batch();
    const auto& results = workers_.process(records_, clock_.now());
    // Counted per chunk: each Increment is an atomic read-modify-write.
    std::size_t consumed = 0, bytes = 0, irrelevant = 0;
    for (std::size_t i = 0; i < chunk_.size() && !batches_.any_failed(); ++i) {
      const auto* msg = chunk_[i].get();
      ++consumed;
      bytes += msg->len;
      irrelevant += results[i].kind == core::verdict::irrelevant;
      rd_kafka_timestamp_type_t tstype;
      open.timestamps.push_back(rd_kafka_message_timestamp(msg, &tstype));
      publish(msg, results[i], tickets_[i]);
    }
    records_read_ += consumed;
    bytes_read_ += bytes;
    m_.consumed.Increment(static_cast<double>(consumed));
    m_.consumed_bytes.Increment(static_cast<double>(bytes));
    if (irrelevant != 0) m_.irrelevant.Increment(static_cast<double>(irrelevant));
  }
  chunk_.clear();
}

void runner::publish(const rd_kafka_message_t* msg, const record_result& r, ticket t) {
  if (r.kind == core::verdict::publish && poisoned_.erase({msg->partition, msg->offset})) {
    // Its event was refused for good on an earlier try: dead-letter it.
    send_dead_letter(msg, "output_rejected", "the output topic refused the event (too large or invalid)", t);
    return;
  }
  if (r.kind == core::verdict::publish && !outputs_fit(r)) {
    send_dead_letter(msg, "output_rejected", "the event is larger than the output topic accepts", t);
    return;
  }
  switch (r.kind) {
    case core::verdict::publish:
      if (is_permanent(produce(cfg_.output_topic, r.key, r.payload, nullptr, t))) {
        send_dead_letter(msg, "output_rejected", "the event is larger than the producer accepts", t);
        break;
      }
      m_.published.Increment();
      for (const auto& f : r.figures) {
        m_.figures(f.metric, f.unit).Increment();
        // Keyed like the event, so an item's figures share its partition.
        if (!cfg_.figures_topic.empty()) produce(cfg_.figures_topic, r.key, f.record, nullptr, t);
      }
      break;
    case core::verdict::irrelevant:
      break;  // counted by the caller, per chunk
    case core::verdict::dead_letter: {
      std::string error(core::error_message(r.error));
      if (!r.detail.empty()) error += " (" + r.detail + ")";
      send_dead_letter(msg, core::error_name(r.error), error, t);
      log_.debug("pipeline", "dead letter",
                 {{"reason", std::string(core::error_name(r.error))},
                  {"partition", std::to_string(msg->partition)}, {"offset", std::to_string(msg->offset)}});
      break;
    }
  }
}

// ---- batches

kafka_partitions runner::partition_list(const std::map<std::int32_t, std::int64_t>& offsets) const {
  kafka_partitions list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const auto& [partition, offset] : offsets)
    rd_kafka_topic_partition_list_add(list.get(), cfg_.input_topic.c_str(), partition)->offset = offset;
  return list;
}

void runner::begin_batch() {
  auto& b = batches_.open(steady::now());
  if (!exactly_once()) return;
  kafka_error e(rd_kafka_begin_transaction(producer_.get()));
  if (e) {
    log_.error("producer", "cannot begin a transaction", {{"error", rd_kafka_error_string(e.get())}});
    if (rd_kafka_error_is_fatal(e.get())) fatal_ = true;
    b.failed = true;  // aborted and rewound by the loop
  }
}

bool runner::batch_due() const {
  const auto* open = batches_.open_batch();
  return open && (open->records.size() >= static_cast<std::size_t>(cfg_.batch_max_records) ||
                  steady::now() - open->opened >= milliseconds(cfg_.batch_max_ms));
}

// The open batch is full or old enough. Exactly-once commits its
// transaction now; at-least-once lets it wait for its acknowledgements
// while the next batch is consumed (settle() commits it).
void runner::close_batch() {
  const auto* open = batches_.open_batch();
  if (!open) return;
  if (!exactly_once()) {
    batches_.close();
    return;
  }
  switch (commit_transaction(*open)) {
    case txn_result::ok:
      count_committed(*open);
      batches_.commit_open();
      break;
    case txn_result::abort:
      fail_batches("the transaction could not be committed");
      break;
    case txn_result::fatal:
      break;  // the loop stops; the broker aborts the transaction
  }
}

// At-least-once: commits the offsets of the oldest batches whose outputs were
// all acknowledged, in order. Either mode: once a batch has failed, every
// uncommitted batch is dropped and the input rewound to the oldest of them.
void runner::settle(bool sync) {
  if (!exactly_once()) {
    auto done = batches_.take_delivered();
    if (!done.empty()) commit_offsets(done, sync);
  }
  if (batches_.any_failed()) fail_batches("a record of the batch could not be written");
}

// Offsets follow delivery: these batches' outputs are all acknowledged.
// Within the loop the commit is asynchronous (a failed one only repeats
// records; a later one supersedes it); before a revocation or the exit it is
// synchronous, so it lands while the partitions are ours.
void runner::commit_offsets(const std::vector<tracked_batch>& done, bool sync) {
  auto offsets = partition_list(batch_tracker::commit_offsets(done));
  if (auto err = rd_kafka_commit(consumer_.get(), offsets.get(), sync ? 0 : 1); err)
    log_.warn("consumer", "offset commit failed", {{"error", rd_kafka_err2str(err)}});
  for (const auto& b : done) count_committed(b);
}

void runner::count_committed(const tracked_batch& b) {
  m_.batches_committed.Increment();
  m_.update_relevant_ratio();
  m_.batch_seconds.Observe(seconds_since(b.opened));
  auto now_ms = std::chrono::duration_cast<milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  // One histogram call per batch, not a locked Observe per record.
  for (auto ts : b.timestamps)
    if (ts > 0) end_to_end_.observe(static_cast<double>(now_ms - ts) / 1000.0);
  end_to_end_.flush(m_.end_to_end_seconds);
}

// Before a revocation and at the exit: closes the open batch and waits,
// bounded by shutdown.timeout_ms, for every batch's acknowledgements,
// committing what was delivered. What is not acknowledged in time is
// dropped and rewound: read again, never skipped.
void runner::finish_batches() {
  if (fatal_) return;
  if (exactly_once()) {
    close_batch();
    return;
  }
  batches_.close();
  const auto deadline = steady::now() + milliseconds(cfg_.shutdown_timeout_ms);
  for (;;) {
    settle(true);
    if (batches_.idle()) return;
    if (steady::now() >= deadline) {
      fail_batches("the producer did not drain in time");
      return;
    }
    rd_kafka_poll(producer_.get(), 10);
  }
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

runner::txn_result runner::commit_transaction(const tracked_batch& b) {
  std::map<std::int32_t, std::int64_t> next;
  for (const auto& [partition, range] : b.ranges) next[partition] = range.next;
  auto offsets = partition_list(next);
  kafka_group_metadata group(rd_kafka_consumer_group_metadata(consumer_.get()));
  const int timeout = static_cast<int>(cfg_.shutdown_timeout_ms);
  auto r = txn_call("send_offsets_to_transaction", [&] {
    return rd_kafka_send_offsets_to_transaction(producer_.get(), offsets.get(), group.get(), timeout);
  });
  if (r == txn_result::ok)
    r = txn_call("commit_transaction", [&] { return rd_kafka_commit_transaction(producer_.get(), timeout); });
  return r;
}

void runner::fail_batches(std::string_view why) {
  m_.batches_aborted.Increment(static_cast<double>(batches_.uncommitted()));
  log_.warn("runner", "batch aborted; rewinding to its first offsets",
            {{"reason", std::string(why)}, {"batches", std::to_string(batches_.uncommitted())}});
  if (exactly_once() && !fatal_) {
    const int timeout = static_cast<int>(cfg_.shutdown_timeout_ms);
    txn_call("abort_transaction", [&] { return rd_kafka_abort_transaction(producer_.get(), timeout); });
  }
  rewind(batches_.drop_all());
}

// Every partition the dropped batches read from goes back to the first
// offset any of them read, so those records are processed again.
void runner::rewind(const std::map<std::int32_t, std::int64_t>& to) {
  if (to.empty()) return;
  auto list = partition_list(to);
  kafka_error e(rd_kafka_seek_partitions(consumer_.get(), list.get(), 5000));
  if (e) log_.warn("consumer", "seek failed", {{"error", rd_kafka_error_string(e.get())}});
  for (const auto& [partition, offset] : to) positions_[partition] = offset;
}

void runner::maybe_reload() {
  if (!reload_.exchange(false)) return;
  try {
    workers_.reload(make_);
    log_.info("runner", "data files reloaded",
              {{"data_dir", cfg_.data_dir}, {"workers", std::to_string(workers_.workers())}});
  } catch (const std::exception& e) {
    log_.error("runner", "reload failed; keeping the previous data", {{"error", e.what()}});
  }
}

int runner::run() {
  create_clients();
  log_.info("runner", "starting",
            {{"brokers", cfg_.brokers}, {"group", cfg_.group_id}, {"input", cfg_.input_topic},
             {"output", cfg_.output_topic}, {"dead_letter", cfg_.dead_letter_topic},
             {"figures", cfg_.figures_topic},
             {"delivery", cfg_.delivery == delivery_mode::exactly_once ? "exactly_once" : "at_least_once"},
             {"workers", std::to_string(workers_.workers())}, {"metrics", cfg_.metrics_listen}});
  if (!wait_for_topics(producer_.get(), cfg_, log_, stop_)) return stop_ ? 0 : 2;
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
    if (const auto* open = batches_.open_batch()) {
      auto left = std::chrono::duration_cast<milliseconds>(max_wait - (steady::now() - open->opened)).count();
      timeout = static_cast<int>(std::clamp<long long>(left, 0, 100));
    }
    // Acknowledgements arrive on the producer's queue, which this poll does
    // not wait on: keep it short while batches await them.
    if (batches_.in_flight() > 0) timeout = std::min(timeout, 5);
    // A full window of batches in flight: wait for acknowledgements, not
    // for records (unless paused, when polling returns none).
    if (window_full_since_ && !paused_) rd_kafka_poll(producer_.get(), 5);
    else poll_chunk(timeout);
    rd_kafka_poll(producer_.get(), 0);  // delivery reports
    handle_chunk();
    keep_fetching();
    settle(false);
    if (batch_due()) close_batch();
    if (batches_.idle() && limits_stale_ && !fatal_) adapt_to_new_limits();
    if (!batches_.open_batch()) maybe_reload();
  }

  // Shutdown: a watchdog bounds the time we take; then finish the batches,
  // leave the group (which commits nothing more: the batches are closed) and
  // flush the producer.
  std::thread([timeout = cfg_.shutdown_timeout_ms, this] {
    std::this_thread::sleep_for(milliseconds(timeout + 5000));
    log_.error("runner", "shutdown took too long; exiting");
    _exit(3);
  }).detach();
  log_.info("runner", fatal_ ? "stopping after a fatal error" : "stopping: finishing the open batch");
  finish_batches();
  wakeup_.reset();
  rd_kafka_consumer_close(consumer_.get());
  rd_kafka_flush(producer_.get(), static_cast<int>(cfg_.shutdown_timeout_ms));
  log_.info("runner", "stopped");
  return fatal_ ? 1 : 0;
}

}  // namespace

int run_daemon(const config& cfg, const pipeline_factory& make_pipeline, logger& log, metrics& m,
               std::atomic<bool>& stop, std::atomic<bool>& reload) {
  auto r = std::make_unique<runner>(cfg, make_pipeline, log, m, stop, reload);
  const int code = r->run();
  // Everything is committed and flushed: what is left is releasing the
  // clients. librdkafka 2.0 may wait on a broker thread for many seconds
  // there when a topic was deleted under it (its broker refcount issues),
  // so the release gets a few seconds; past them the process exits with
  // the run's own code instead of hanging until the watchdog.
  std::atomic<bool> released{false};
  std::thread release([&] {
    r.reset();
    released = true;
  });
  const auto deadline = steady::now() + kReleaseWait;
  while (!released && steady::now() < deadline) std::this_thread::sleep_for(milliseconds(10));
  if (released) {
    release.join();
    return code;
  }
  log.warn("runner", "the Kafka clients did not shut down in time; exiting anyway (nothing is lost: "
                     "the batches were committed)",
           {{"waited_ms", std::to_string(std::chrono::duration_cast<milliseconds>(kReleaseWait).count())}});
  std::fflush(nullptr);
  _exit(code);
}

}  // namespace coopwatch::io

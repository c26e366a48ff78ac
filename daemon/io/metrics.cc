#include "io/metrics.h"

#include <librdkafka/rdkafka.h>

namespace coopwatch::io {

namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

prometheus::Counter& counter(prometheus::Registry& r, const std::string& name,
                             const std::string& help) {
  return BuildCounter().Name(name).Help(help).Register(r).Add({});
}

prometheus::Histogram& histogram(prometheus::Registry& r, const std::string& name,
                                 const std::string& help) {
  return BuildHistogram().Name(name).Help(help).Register(r).Add({}, latency_buckets());
}

}  // namespace

prometheus::Histogram::BucketBoundaries latency_buckets() {
  return {0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

metrics::metrics(const std::string& listen)
    : metrics(std::make_shared<prometheus::Registry>(), listen) {}

metrics::metrics(std::shared_ptr<prometheus::Registry> registry, const std::string& listen)
    : consumed(counter(*registry, "coopwatch_records_consumed_total", "Input records consumed")),
      published(counter(*registry, "coopwatch_events_published_total", "Events published to the output topic")),
      irrelevant(counter(*registry, "coopwatch_items_irrelevant_total", "Valid items judged not relevant (no event)")),
      consumed_bytes(counter(*registry, "coopwatch_consumed_bytes_total", "Bytes of input record values consumed")),
      batches_committed(counter(*registry, "coopwatch_batches_committed_total", "Batches committed (transactions or offset commits)")),
      batches_aborted(counter(*registry, "coopwatch_batches_aborted_total", "Batches aborted and rewound to the committed offsets")),
      rebalances(counter(*registry, "coopwatch_rebalances_total", "Consumer group rebalances seen")),
      fetch_wakeups(counter(*registry, "coopwatch_fetch_wakeups_total",
                            "Requests sent to wake a fetcher stopped by a full prefetch queue (librdkafka before 2.2)")),
      produce_errors(counter(*registry, "coopwatch_produce_errors_total", "Records the producer failed to deliver")),
      assigned_partitions(BuildGauge().Name("coopwatch_assigned_partitions").Help("Input partitions assigned to this instance").Register(*registry).Add({})),
      producer_queue(BuildGauge().Name("coopwatch_producer_queue_messages").Help("Messages waiting in the producer queue (librdkafka statistics)").Register(*registry).Add({})),
      relevant_ratio(BuildGauge().Name("coopwatch_relevant_ratio").Help("Share of valid items judged relevant since start").Register(*registry).Add({})),
      ready(BuildGauge().Name("coopwatch_ready").Help("1 when partitions are assigned and a broker is reachable (as /readyz)").Register(*registry).Add({})),
      paused(BuildGauge().Name("coopwatch_input_paused").Help("1 while input partitions are paused because the producer queue is full").Register(*registry).Add({})),
      record_seconds(histogram(*registry, "coopwatch_record_processing_seconds", "Core pipeline time per record")),
      batch_seconds(histogram(*registry, "coopwatch_batch_seconds", "Time from a batch's first record to its commit")),
      end_to_end_seconds(histogram(*registry, "coopwatch_end_to_end_seconds", "Broker timestamp of the input record to the commit of its batch")),
      registry_(std::move(registry)) {
  dead_letters_family_ = &BuildCounter()
                              .Name("coopwatch_dead_letters_total")
                              .Help("Records sent to the dead-letter topic, by reason")
                              .Register(*registry_);
  figures_family_ = &BuildCounter()
                         .Name("coopwatch_figures_extracted_total")
                         .Help("Figures published in events, by metric and unit")
                         .Register(*registry_);
  lag_family_ = &BuildGauge()
                     .Name("coopwatch_consumer_lag")
                     .Help("Records behind the end of each assigned input partition (librdkafka statistics)")
                     .Register(*registry_);
  auto& stages = BuildHistogram()
                     .Name("coopwatch_stage_seconds")
                     .Help("Time spent per record in each core stage")
                     .Register(*registry_);
  for (int i = 0; i < core::stage_count; ++i) {
    stage_[i] = &stages.Add({{"stage", std::string(core::stage_name(static_cast<core::stage>(i)))}},
                            latency_buckets());
  }
  BuildGauge()
      .Name("coopwatch_build_info")
      .Help("Build information; the value is always 1")
      .Register(*registry_)
      .Add({{"version", COOPWATCH_VERSION},
            {"git_sha", COOPWATCH_GIT_SHA},
            {"librdkafka", rd_kafka_version_str()}})
      .Set(1);
  if (!listen.empty()) {
    exposer_ = std::make_unique<prometheus::Exposer>(listen, 2, health_callbacks(&health_));
    exposer_->RegisterCollectable(registry_);
  }
}

prometheus::Counter& metrics::dead_letters(std::string_view reason) {
  return dead_letters_family_->Add({{"reason", std::string(reason)}});
}

prometheus::Counter& metrics::figures(const std::string& metric, const std::string& unit) {
  std::string key;
  key.reserve(metric.size() + 1 + unit.size());
  key.append(metric).push_back('\0');  // no metric name holds a NUL
  key.append(unit);
  std::lock_guard lock(figure_counters_mutex_);
  auto [it, fresh] = figure_counters_.try_emplace(std::move(key), nullptr);
  if (fresh) it->second = &figures_family_->Add({{"metric", metric}, {"unit", unit}});
  return *it->second;
}

prometheus::Gauge& metrics::consumer_lag(std::int32_t partition) {
  return lag_family_->Add({{"partition", std::to_string(partition)}});
}

void metrics::forget_lag(std::int32_t partition) {
  auto& gauge = consumer_lag(partition);
  lag_family_->Remove(&gauge);
}

void metrics::update_relevant_ratio() {
  double total = published.Value() + irrelevant.Value();
  if (total > 0) relevant_ratio.Set(published.Value() / total);
}

std::string metrics::bound_address() const {
  if (!exposer_) return {};
  auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? std::string() : std::to_string(ports.front());
}

}  // namespace coopwatch::io

#include "io/pipeline_workers.h"

#include <chrono>
#include <stdexcept>

#include "io/histogram_tally.h"

namespace coopwatch::io {

namespace {

using steady = std::chrono::steady_clock;

std::vector<core::pipeline> build(const pipeline_factory& make, std::size_t workers) {
  auto built = make(workers);
  if (built.size() != workers)
    throw std::logic_error("the pipeline factory built " + std::to_string(built.size()) +
                           " pipelines, not " + std::to_string(workers));
  return built;
}

}  // namespace

// Times core stages and whole records for their histograms: the core calls
// stage_done() after each stage; the time since the previous call is that
// stage's. Kept per worker and flushed after each chunk (histogram_tally.h).
class pipeline_workers::stage_timer final : public core::stage_observer {
 public:
  stage_timer() : record_(latency_buckets()) {
    for (int i = 0; i < core::stage_count; ++i) stages_.emplace_back(latency_buckets());
  }
  void start() { started_ = last_ = steady::now(); }
  void stage_done(core::stage s) override {
    auto now = steady::now();
    stages_[static_cast<std::size_t>(s)].observe(std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }
  // After the last stage: the record's whole time, with no clock read of its own.
  void record_done() { record_.observe(std::chrono::duration<double>(last_ - started_).count()); }
  void flush(metrics& m) {
    for (int i = 0; i < core::stage_count; ++i)
      stages_[static_cast<std::size_t>(i)].flush(m.stage_seconds(static_cast<core::stage>(i)));
    record_.flush(m.record_seconds);
  }

 private:
  std::vector<histogram_tally> stages_;
  histogram_tally record_;
  steady::time_point started_, last_;
};

pipeline_workers::pipeline_workers(const pipeline_factory& make, std::size_t workers,
                                   bool figure_records, metrics& m)
    : pipelines_(build(make, workers)), pool_(workers), figure_records_(figure_records), m_(m) {
  for (std::size_t w = 0; w < workers; ++w) timers_.push_back(std::make_unique<stage_timer>());
}

pipeline_workers::~pipeline_workers() = default;

void pipeline_workers::reload(const pipeline_factory& make) {
  pipelines_ = build(make, pipelines_.size());
}

const std::vector<record_result>& pipeline_workers::process(
    const std::vector<std::string_view>& records, std::string_view processed_at) {
  // Shrinking would free the slots' buffers; they are reused instead.
  if (results_.size() < records.size()) results_.resize(records.size());
  pool_.run(records.size(), [&](std::size_t worker, std::size_t i) {
    run_one(worker, records[i], processed_at, results_[i]);
  });
  for (auto& t : timers_) t->flush(m_);  // the workers are done: this thread alone reads the tallies
  return results_;
}

// The outcome's views point into the pipeline's buffers, which its next
// record reuses: copied out here, on the worker, into a reused slot.
void pipeline_workers::run_one(std::size_t worker, std::string_view record,
                               std::string_view processed_at, record_result& out) {
  auto& pipeline = pipelines_[worker];
  auto& timer = *timers_[worker];
  timer.start();
  auto o = pipeline.process(record, processed_at, &timer);
  timer.record_done();
  out.kind = o.kind;
  out.error = o.error;
  out.detail.assign(o.detail);
  out.key.assign(o.key);
  out.payload.assign(o.payload);
  if (o.kind != core::verdict::publish) {
    out.figures.clear();
    return;
  }
  const auto& figures = pipeline.figures();
  out.figures.resize(figures.size());
  for (std::size_t i = 0; i < figures.size(); ++i) {
    out.figures[i].metric = figures[i].metric;
    out.figures[i].unit = figures[i].unit;
    if (figure_records_) out.figures[i].record.assign(pipeline.figure_record(i, processed_at));
    else out.figures[i].record.clear();
  }
}

}  // namespace coopwatch::io

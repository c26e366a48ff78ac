#include "io/pipeline_workers.h"

#include <chrono>
#include <stdexcept>

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

// Times core stages for the stage histograms: the core calls stage_done()
// after each stage; the time since the previous call is that stage's.
class pipeline_workers::stage_timer final : public core::stage_observer {
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

pipeline_workers::pipeline_workers(const pipeline_factory& make, std::size_t workers,
                                   bool figure_records, metrics& m)
    : pipelines_(build(make, workers)), pool_(workers), figure_records_(figure_records), m_(m) {
  for (std::size_t w = 0; w < workers; ++w) timers_.push_back(std::make_unique<stage_timer>(m));
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
  return results_;
}

// The outcome's views point into the pipeline's buffers, which its next
// record reuses: copied out here, on the worker, into a reused slot.
void pipeline_workers::run_one(std::size_t worker, std::string_view record,
                               std::string_view processed_at, record_result& out) {
  auto& pipeline = pipelines_[worker];
  auto& timer = *timers_[worker];
  auto started = steady::now();
  timer.start();
  auto o = pipeline.process(record, processed_at, &timer);
  m_.record_seconds.Observe(std::chrono::duration<double>(steady::now() - started).count());
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

#pragma once
// The core pipelines of the daemon (processing.workers of them, one per
// worker, each with its own scratch buffers over data shared by all) and
// the owned results of running records through them. With one worker the
// records run on the calling thread, one after the other; with more, a chunk
// of records runs on the workers in parallel and the results come back in
// the records' order, so the loop still publishes in input order.
//
// Owned by the loop's thread. Each worker times its stages and records into
// tallies of its own, which process() flushes into the histograms when the
// chunk is done.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coopwatch/core/pipeline.h"
#include "io/metrics.h"
#include "io/worker_pool.h"

namespace coopwatch::io {

// Builds `count` pipelines sharing one load of the data files; throws on bad data.
using pipeline_factory = std::function<std::vector<core::pipeline>(std::size_t count)>;

// What the pipeline made of one record, copied out of its scratch buffers.
struct record_result {
  struct figure_row {
    std::string metric;
    std::string unit;
    std::string record;  // the per-figure topic's record; empty when that topic is off
  };
  core::verdict kind = core::verdict::dead_letter;
  core::error_code error = core::error_code::ok;
  std::string detail;
  std::string key;
  std::string payload;
  std::vector<figure_row> figures;  // published items only
};

class pipeline_workers {
 public:
  // `figure_records`: encode each figure's flat record (the figures topic is on).
  pipeline_workers(const pipeline_factory& make, std::size_t workers, bool figure_records, metrics& m);
  ~pipeline_workers();

  // Runs `records` through the pipelines; result i is record i's. Valid
  // until the next call. `processed_at` stamps every event of the call.
  const std::vector<record_result>& process(const std::vector<std::string_view>& records,
                                            std::string_view processed_at);

  // Rebuilds every pipeline from the data files (SIGHUP). All or nothing:
  // throws, keeping the current pipelines, if the data are bad.
  void reload(const pipeline_factory& make);

  [[nodiscard]] std::size_t workers() const { return pipelines_.size(); }

 private:
  class stage_timer;
  void run_one(std::size_t worker, std::string_view record, std::string_view processed_at,
               record_result& out);

  std::vector<core::pipeline> pipelines_;
  std::vector<std::unique_ptr<stage_timer>> timers_;  // one per worker
  worker_pool pool_;
  bool figure_records_;
  metrics& m_;
  std::vector<record_result> results_;
};

}  // namespace coopwatch::io

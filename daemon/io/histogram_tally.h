#pragma once
// Observations of one histogram gathered on one thread and handed to
// prometheus-cpp in one call. Histogram::Observe takes a mutex for every
// value: six times per record (each core stage and the whole record), 1.5 to
// 2.5 % of the daemon's CPU in a drain's profile, and two workers observing
// the same histograms contended for it. A tally is private to its thread and
// flushed by the loop's thread once the workers are done with a chunk.

#include <prometheus/histogram.h>

#include <cstdint>
#include <vector>

namespace coopwatch::io {

class histogram_tally {
 public:
  // `bounds`: the histogram's bucket boundaries, ascending.
  explicit histogram_tally(std::vector<double> bounds);

  // A value lands in the first bucket whose bound is >= it (or +Inf), as in
  // prometheus::Histogram::Observe.
  void observe(double value);
  // Adds what was observed since the last flush to `h` (built with the same
  // bounds) and starts again. Nothing observed, nothing done.
  void flush(prometheus::Histogram& h);

 private:
  std::vector<double> bounds_;
  std::vector<double> counts_;  // bounds_.size() + 1: the last is +Inf
  double sum_ = 0;
  std::uint64_t observed_ = 0;
};

}  // namespace coopwatch::io

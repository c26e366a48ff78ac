#include "io/histogram_tally.h"

#include <algorithm>
#include <utility>

namespace coopwatch::io {

histogram_tally::histogram_tally(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0.0) {}

void histogram_tally::observe(double value) {
  const auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  counts_[static_cast<std::size_t>(bucket)] += 1;
  sum_ += value;
  ++observed_;
}

void histogram_tally::flush(prometheus::Histogram& h) {
  if (observed_ == 0) return;
  h.ObserveMultiple(counts_, sum_);
  std::fill(counts_.begin(), counts_.end(), 0.0);
  sum_ = 0;
  observed_ = 0;
}

}  // namespace coopwatch::io

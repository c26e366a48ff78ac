// The per-thread histogram tally hands prometheus-cpp exactly what observing
// every value on the histogram itself would have.
#include "io/histogram_tally.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

using coopwatch::io::histogram_tally;

const std::vector<double> kBounds = {0.001, 0.01, 0.1, 1};

void expect_same(prometheus::Histogram& a, prometheus::Histogram& b) {
  const auto ma = a.Collect().histogram, mb = b.Collect().histogram;
  EXPECT_EQ(ma.sample_count, mb.sample_count);
  EXPECT_DOUBLE_EQ(ma.sample_sum, mb.sample_sum);
  ASSERT_EQ(ma.bucket.size(), mb.bucket.size());
  for (std::size_t i = 0; i < ma.bucket.size(); ++i) {
    EXPECT_EQ(ma.bucket[i].cumulative_count, mb.bucket[i].cumulative_count) << "bucket " << i;
    EXPECT_EQ(ma.bucket[i].upper_bound, mb.bucket[i].upper_bound);
  }
}

TEST(HistogramTally, FlushEqualsObservingEachValue) {
  // Values on the bounds, between them, below the first and past the last.
  const std::vector<double> values = {0.0, 0.001, 0.0005, 0.01, 0.05, 0.1, 0.5, 1, 2, 100, 0.003};
  prometheus::Histogram direct(kBounds), tallied(kBounds);
  histogram_tally t(kBounds);
  for (double v : values) {
    direct.Observe(v);
    t.observe(v);
  }
  t.flush(tallied);
  expect_same(direct, tallied);
}

TEST(HistogramTally, FlushStartsAgainAndSkipsWhenEmpty) {
  prometheus::Histogram direct(kBounds), tallied(kBounds);
  histogram_tally t(kBounds);
  t.flush(tallied);  // nothing observed yet
  EXPECT_EQ(tallied.Collect().histogram.sample_count, 0u);
  for (int round = 0; round < 3; ++round) {
    for (double v : {0.002, 0.2, 3.0}) {
      direct.Observe(v);
      t.observe(v);
    }
    t.flush(tallied);  // a second flush of the same values would double them
    expect_same(direct, tallied);
  }
  t.flush(tallied);
  expect_same(direct, tallied);
}

}  // namespace

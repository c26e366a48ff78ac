// The daemon's metrics: labelled counters are looked up once and kept, and
// what they count shows on the registry's series.
#include "io/metrics.h"

#include <gtest/gtest.h>

namespace {

using coopwatch::io::metrics;

TEST(Metrics, FigureCountersAreKeptPerMetricAndUnit) {
  metrics m("");  // no listener
  auto& funds = m.figures("aid_funds", "CNY");
  EXPECT_EQ(&funds, &m.figures("aid_funds", "CNY"));
  EXPECT_NE(&funds, &m.figures("aid_funds", "USD"));
  EXPECT_NE(&funds, &m.figures("investment", "CNY"));
  // The key joins metric and unit: a different split is another counter.
  EXPECT_NE(&m.figures("ab", "c"), &m.figures("a", "bc"));
  funds.Increment();
  m.figures("aid_funds", "CNY").Increment(2);
  EXPECT_DOUBLE_EQ(funds.Value(), 3);
  EXPECT_DOUBLE_EQ(m.figures("aid_funds", "USD").Value(), 0);
}

}  // namespace

// When the loop wakes a fetcher that librdkafka < 2.2 stopped at a full
// prefetch queue (fetch_wakeup.h): once the queue, having been near its
// limit, is back to half. The limit is whichever of bytes and records the
// queue reaches first. No broker: the queue's length is given.
#include "io/fetch_wakeup.h"

#include <gtest/gtest.h>

namespace coopwatch::io {
namespace {

// 32 MB or 100 000 records; records of 2 KB reach the bytes first (16 384).
constexpr std::int64_t kBytes = 32 << 20, kRecords = 100000;
constexpr double kMean = 2048;
constexpr std::size_t kLimit = 16384;

TEST(FetchWakeupPolicy, WakesOnceTheQueueHasFallenFromNearFullToHalf) {
  fetch_wakeup_policy p(kBytes, kRecords);
  EXPECT_FALSE(p.due(kLimit, kMean));          // full: the fetcher has stopped
  EXPECT_FALSE(p.due(kLimit * 6 / 10, kMean));  // draining, still more than half
  EXPECT_TRUE(p.due(kLimit / 2, kMean));        // half: wake it
  EXPECT_FALSE(p.due(kLimit / 4, kMean));       // once per fill
  EXPECT_FALSE(p.due(0, kMean));
}

TEST(FetchWakeupPolicy, AQueueThatNeverFilledNeedsNoWakeup) {
  // A trickle (or a fetcher keeping up): the queue stays short and nothing is sent.
  fetch_wakeup_policy p(kBytes, kRecords);
  for (std::size_t q : {0u, 10u, 300u, 5000u, 12000u, 0u}) EXPECT_FALSE(p.due(q, kMean)) << q;
}

TEST(FetchWakeupPolicy, EveryRefillThatFillsTheQueueAgainGetsItsWakeup) {
  fetch_wakeup_policy p(kBytes, kRecords);
  int wakeups = 0;
  for (int cycle = 0; cycle < 3; ++cycle) {
    for (std::size_t q = 0; q <= kLimit; q += 1024) wakeups += p.due(q, kMean);  // refilled
    for (std::size_t q = kLimit; q > 0; q -= 1024) wakeups += p.due(q, kMean);   // drained
  }
  EXPECT_EQ(wakeups, 3);
}

TEST(FetchWakeupPolicy, TheRecordLimitCountsWhenRecordsAreSmall) {
  // 100-byte records: 32 MB would be 335 544 records, but the fetcher stops at 100 000.
  fetch_wakeup_policy p(kBytes, kRecords);
  EXPECT_FALSE(p.due(80000, 100));
  EXPECT_TRUE(p.due(50000, 100));
}

TEST(FetchWakeupPolicy, UnknownSizesOrLimitsNeverWake) {
  fetch_wakeup_policy unknown_mean(kBytes, kRecords);
  EXPECT_FALSE(unknown_mean.due(kLimit, 0));
  EXPECT_FALSE(unknown_mean.due(0, 0));
  fetch_wakeup_policy unknown_limit(0, kRecords);
  EXPECT_FALSE(unknown_limit.due(kLimit, kMean));
  EXPECT_FALSE(unknown_limit.due(0, kMean));
}

}  // namespace
}  // namespace coopwatch::io

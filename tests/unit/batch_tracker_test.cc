// The at-least-once loop's batch bookkeeping: what may commit, in which
// order, and where a failure rewinds to. No broker: reports are simulated.
#include "io/batch_tracker.h"

#include <gtest/gtest.h>

#include <map>

namespace coopwatch::io {
namespace {

using offsets = std::map<std::int32_t, std::int64_t>;
const auto t0 = std::chrono::steady_clock::time_point{};

// Adds one record with one queued output for each source; closes the batch
// unless told not to. Returns the records' tickets.
std::vector<ticket> batch_of(batch_tracker& b, std::initializer_list<input_record> sources, bool close = true) {
  std::vector<ticket> out;
  for (const auto& r : sources) {
    out.push_back(b.add(r, t0));
    b.output_queued(out.back());
  }
  if (close) b.close();
  return out;
}

TEST(BatchTracker, CommitsOnlyClosedBatchesWhoseOutputsAreAllAcknowledged) {
  batch_tracker b;
  auto a = b.add({0, 10}, t0);
  auto c = b.add({1, 5}, t0);
  b.output_queued(a);
  b.output_queued(a);  // event and figure row
  b.output_queued(c);
  EXPECT_TRUE(b.take_delivered().empty()) << "open batches never commit";
  b.close();
  EXPECT_EQ(b.in_flight(), 1u);
  b.delivered(a, true);
  b.delivered(c, true);
  EXPECT_TRUE(b.take_delivered().empty()) << "one output of record a is unacknowledged";
  b.delivered(a, true);
  auto done = b.take_delivered();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(batch_tracker::commit_offsets(done), (offsets{{0, 11}, {1, 6}}));
  EXPECT_TRUE(b.idle());
}

TEST(BatchTracker, ABatchWithoutOutputsCommitsOnceClosed) {
  batch_tracker b;
  b.add({0, 0}, t0);  // irrelevant item: nothing produced
  b.close();
  EXPECT_EQ(b.take_delivered().size(), 1u);
}

TEST(BatchTracker, BatchesCommitOldestFirstNeverPastAnUnacknowledgedOne) {
  batch_tracker b;
  const auto first = batch_of(b, {{0, 0}})[0];
  const auto second = batch_of(b, {{0, 1}})[0];
  b.delivered(second, true);
  EXPECT_TRUE(b.take_delivered().empty()) << "the newer batch waits for the older";
  b.delivered(first, true);
  auto done = b.take_delivered();
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(batch_tracker::commit_offsets(done), (offsets{{0, 2}}));
}

TEST(BatchTracker, AFailureDropsEveryUncommittedBatchAndRewindsToTheOldest) {
  batch_tracker b;
  batch_of(b, {{0, 100}});
  const auto r2 = batch_of(b, {{0, 101}, {1, 7}})[1];
  batch_of(b, {{1, 8}}, false);  // the open batch
  b.delivered(r2, false);
  EXPECT_TRUE(b.any_failed());
  EXPECT_TRUE(b.take_delivered().empty()) << "the oldest is still unacknowledged";
  EXPECT_EQ(b.uncommitted(), 3u);
  EXPECT_EQ(b.drop_all(), (offsets{{0, 100}, {1, 7}}));
  EXPECT_TRUE(b.idle());
  EXPECT_FALSE(b.any_failed());
}

TEST(BatchTracker, DeliveredOlderBatchesCommitBeforeAFailedOneIsDropped) {
  batch_tracker b;
  const auto r0 = batch_of(b, {{0, 0}})[0];
  const auto r1 = batch_of(b, {{0, 1}})[0];
  b.delivered(r0, true);
  b.delivered(r1, false);
  auto done = b.take_delivered();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(batch_tracker::commit_offsets(done), (offsets{{0, 1}}));
  EXPECT_EQ(b.drop_all(), (offsets{{0, 1}}));
}

TEST(BatchTracker, LateReportsOfADroppedBatchNeverCountForItsReplay) {
  batch_tracker b;
  auto old = b.add({2, 40}, t0);
  b.output_queued(old);
  b.output_failed(old);
  b.close();
  (void)b.drop_all();
  EXPECT_EQ(b.dropped(), 1u);
  // The replay reads offset 40 again under a new ticket.
  auto replay = b.add({2, 40}, t0);
  EXPECT_NE(replay, old);
  b.output_queued(replay);
  b.close();
  auto source = b.delivered(old, true);  // the old output's report arrives late
  ASSERT_TRUE(source);
  EXPECT_EQ(*source, (input_record{2, 40}));
  EXPECT_EQ(b.dropped(), 0u) << "its last report: forgotten";
  EXPECT_TRUE(b.take_delivered().empty()) << "the replay's own output is still unacknowledged";
  b.delivered(replay, true);
  EXPECT_EQ(b.take_delivered().size(), 1u);
}

TEST(BatchTracker, ReportsNameTheirInputRecord) {
  batch_tracker b;
  b.add({0, 3}, t0);
  auto t = b.add({1, 9}, t0);
  b.output_queued(t);
  auto source = b.delivered(t, false);
  ASSERT_TRUE(source);
  EXPECT_EQ(*source, (input_record{1, 9}));
  EXPECT_FALSE(b.delivered(0, true)) << "ticket 0: no input record";
  EXPECT_FALSE(b.delivered(12345, true)) << "unknown ticket";
}

TEST(BatchTracker, ATransactionCommitsTheOpenBatchWholesale) {
  batch_tracker b;
  auto t = b.add({0, 0}, t0);
  b.output_queued(t);
  b.commit_open();
  EXPECT_TRUE(b.idle());
  EXPECT_FALSE(b.delivered(t, true)) << "reports after the commit are not counted";
}

TEST(BatchTracker, InFlightCountsClosedBatchesOnly) {
  batch_tracker b;
  EXPECT_EQ(b.in_flight(), 0u);
  b.add({0, 0}, t0);
  EXPECT_EQ(b.in_flight(), 0u);
  b.close();
  b.add({0, 1}, t0);
  b.close();
  b.add({0, 2}, t0);
  EXPECT_EQ(b.in_flight(), 2u);
  EXPECT_EQ(b.uncommitted(), 3u);
  ASSERT_NE(b.open_batch(), nullptr);
  EXPECT_EQ(b.open_batch()->records.size(), 1u);
}

}  // namespace
}  // namespace coopwatch::io

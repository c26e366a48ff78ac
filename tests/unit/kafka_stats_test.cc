// librdkafka statistics -> end offsets, queue depth, broker reachability.
#include "io/kafka_stats.h"

#include <gtest/gtest.h>

namespace coopwatch::io {
namespace {

TEST(KafkaStats, ReadsPartitionsBrokersAndQueue) {
  const char* json = R"({
    "name": "c#consumer-1", "type": "consumer", "msg_cnt": 7,
    "brokers": {
      "GroupCoordinator": {"nodeid": -1, "state": "UP"},
      "127.0.0.1:9092/1": {"nodeid": 1, "state": "UP"}
    },
    "topics": {
      "news.raw": {"partitions": {
        "0": {"partition": 0, "hi_offset": 120, "ls_offset": 100, "committed_offset": 40},
        "1": {"partition": 1, "hi_offset": 10, "ls_offset": -1, "committed_offset": -1001},
        "-1": {"partition": -1, "hi_offset": -1}
      }},
      "other": {"partitions": {"0": {"partition": 0, "hi_offset": 5}}}
    }})";
  auto s = parse_kafka_stats(json, "news.raw");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->queued_messages, 7);
  EXPECT_TRUE(s->any_broker_up);
  ASSERT_EQ(s->partitions.size(), 2u);
  EXPECT_EQ(s->partitions.at(0).end_offset, 100);  // last stable offset wins (read_committed)
  EXPECT_EQ(s->partitions.at(0).committed_offset, 40);
  EXPECT_EQ(s->partitions.at(1).end_offset, 10);   // falls back to the high watermark
  EXPECT_EQ(s->partitions.at(1).committed_offset, -1);
}

TEST(KafkaStats, BootstrapOnlyIsNotReachable) {
  auto s = parse_kafka_stats(R"({"brokers": {"b": {"nodeid": -1, "state": "UP"},
                                             "x/1": {"nodeid": 1, "state": "DOWN"}}})",
                             "t");
  ASSERT_TRUE(s.has_value());
  EXPECT_FALSE(s->any_broker_up);
  EXPECT_FALSE(s->queued_messages.has_value());
}

TEST(KafkaStats, GarbageIsIgnored) {
  EXPECT_FALSE(parse_kafka_stats("not json", "t").has_value());
  EXPECT_FALSE(parse_kafka_stats("", "t").has_value());
}

}  // namespace
}  // namespace coopwatch::io

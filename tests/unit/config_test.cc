// Config: file, environment and flag precedence; bad values; pass-through.
#include "io/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "io/kafka.h"

namespace coopwatch::io {
namespace {

std::string write_file(const std::string& text) {
  char name[] = "/tmp/coopwatch-config-XXXXXX.yaml";
  int fd = mkstemps(name, 5);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(name) << text;
  return name;
}

struct env_list {
  std::vector<std::string> storage;
  std::vector<char*> ptrs;
  explicit env_list(std::vector<std::string> vars) : storage(std::move(vars)) {
    for (auto& s : storage) ptrs.push_back(s.data());
    ptrs.push_back(nullptr);
  }
  char** get() { return ptrs.data(); }
};

TEST(Config, DefaultsWithoutAFile) {
  env_list env({});
  auto c = load_config("", {}, env.get());
  EXPECT_EQ(c.brokers, "127.0.0.1:9092");
  EXPECT_EQ(c.input_topic, "news.raw");
  EXPECT_EQ(c.output_topic, "news.eastwest.events");
  EXPECT_EQ(c.dead_letter_topic, "news.raw.dlq");
  EXPECT_EQ(c.delivery, delivery_mode::exactly_once);
  EXPECT_FALSE(c.instance_id.empty());
}

TEST(Config, FileThenEnvironmentThenFlags) {
  auto path = write_file(
      "kafka:\n  brokers: file:1\n  group_id: g-file\ntopics.input: in-file\n"
      "batch:\n  max_records: 10\n");
  env_list env({"COOPWATCH_KAFKA_GROUP_ID=g-env", "COOPWATCH_TOPICS_INPUT=in-env", "OTHER=1"});
  auto c = load_config(path, {"topics.input=in-flag"}, env.get());
  EXPECT_EQ(c.brokers, "file:1");        // file only
  EXPECT_EQ(c.group_id, "g-env");        // env beats file
  EXPECT_EQ(c.input_topic, "in-flag");   // flag beats env
  EXPECT_EQ(c.batch_max_records, 10);
  std::remove(path.c_str());
}

// Unset, batch.max_records follows the delivery mode; set, it is kept.
TEST(Config, BatchRecordsDefaultByDeliveryMode) {
  env_list env({});
  EXPECT_EQ(load_config("", {}, env.get()).batch_max_records, kDefaultBatchRecordsExactlyOnce);
  EXPECT_EQ(load_config("", {"delivery.mode=at_least_once"}, env.get()).batch_max_records,
            kDefaultBatchRecordsAtLeastOnce);
  EXPECT_EQ(load_config("", {"delivery.mode=exactly_once", "batch.max_records=2000"}, env.get()).batch_max_records,
            2000);
  EXPECT_EQ(load_config("", {"delivery.mode=at_least_once", "batch.max_records=7"}, env.get()).batch_max_records, 7);
}

TEST(Config, PassThroughFromFileAndEnvironment) {
  auto path = write_file(
      "kafka:\n  common:\n    security.protocol: SASL_SSL\n    sasl.password: hunter2\n"
      "  consumer:\n    session.timeout.ms: 12000\n");
  env_list env({"COOPWATCH_KAFKA_PRODUCER_LINGER_MS=20"});
  auto c = load_config(path, {}, env.get());
  EXPECT_EQ(c.kafka_common.at("security.protocol"), "SASL_SSL");
  EXPECT_EQ(c.kafka_consumer.at("session.timeout.ms"), "12000");
  EXPECT_EQ(c.kafka_producer.at("linger.ms"), "20");
  auto text = describe_config(c);
  EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
  EXPECT_NE(text.find("kafka.common.sasl.password: ********"), std::string::npos);
  std::remove(path.c_str());
}

TEST(Config, UnknownKeyNamesFileAndLine) {
  auto path = write_file("kafka:\n  brokers: x\n  bokers: y\n");
  env_list env({});
  try {
    (void)load_config(path, {}, env.get());
    FAIL() << "expected config_error";
  } catch (const config_error& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("kafka.bokers"), std::string::npos) << e.what();
  }
  std::remove(path.c_str());
}

TEST(Config, BadValuesAreRejected) {
  env_list env({});
  const std::vector<std::string> bad = {
      "batch.max_records=0",         "batch.max_records=ten", "delivery.mode=twice",
      "log.format=xml",              "kafka.brokers=",        "passthrough=maybe",
      "limits.max_record_bytes=-1",  "nokey=1",               "novalue",
      "processing.workers=0",        "processing.workers=65", "processing.workers=two",
  };
  for (const auto& b : bad) {
    EXPECT_THROW((void)load_config("", {b}, env.get()), config_error) << b;
  }
  env_list bad_env({"COOPWATCH_BATCH_MAX_MS=soon"});
  EXPECT_THROW((void)load_config("", {}, bad_env.get()), config_error);
}

TEST(Config, WorkersFromFileEnvironmentAndFlag) {
  env_list none({});
  EXPECT_EQ(load_config("", {}, none.get()).workers, 1);
  auto path = write_file("processing:\n  workers: 3\n");
  EXPECT_EQ(load_config(path, {}, none.get()).workers, 3);
  env_list env({"COOPWATCH_PROCESSING_WORKERS=2"});
  EXPECT_EQ(load_config(path, {}, env.get()).workers, 2);
  EXPECT_EQ(load_config(path, {"processing.workers=64"}, env.get()).workers, 64);
  std::remove(path.c_str());
  try {
    (void)load_config("", {"processing.workers=0"}, none.get());
    FAIL() << "0 workers accepted";
  } catch (const config_error& e) {
    EXPECT_NE(std::string(e.what()).find("processing.workers: 0 is out of range [1, 64]"), std::string::npos)
        << e.what();
  }
}

TEST(Config, MalformedYamlAndMissingFile) {
  env_list env({});
  auto path = write_file("kafka: [unclosed\n");
  EXPECT_THROW((void)load_config(path, {}, env.get()), config_error);
  std::remove(path.c_str());
  EXPECT_THROW((void)load_config("/nonexistent/coopwatch.yaml", {}, env.get()), config_error);
}

TEST(Config, LibrdkafkaRejectsUnknownPassThrough) {
  env_list env({});
  auto c = load_config("", {"kafka.consumer.no.such.property=1"}, env.get());
  EXPECT_THROW(validate_kafka_config(c), config_error);
  auto ok = load_config("", {"kafka.consumer.session.timeout.ms=10000"}, env.get());
  EXPECT_NO_THROW(validate_kafka_config(ok));
}

TEST(Config, TransactionalIdIsDerivedFromGroupAndInstance) {
  env_list env({});
  auto c = load_config("", {"kafka.group_id=g", "delivery.instance_id=node-7"}, env.get());
  EXPECT_EQ(c.transactional_id(), "coopwatch-g-node-7");
  EXPECT_THROW((void)load_config("", {"kafka.producer.transactional.id=x"}, env.get()), config_error);
}

}  // namespace
}  // namespace coopwatch::io

#include "io/topic_wait.h"

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace coopwatch::io {

namespace {

// Which of the daemon's topics the cluster lacks; false if no broker answered.
bool missing_topics(rd_kafka_t* rk, const config& cfg, std::string& missing) {
  const rd_kafka_metadata_t* md = nullptr;
  if (rd_kafka_metadata(rk, 1, nullptr, &md, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR) return false;
  std::vector<std::string> wanted = {cfg.input_topic, cfg.output_topic, cfg.dead_letter_topic};
  if (!cfg.figures_topic.empty()) wanted.push_back(cfg.figures_topic);
  missing.clear();
  for (const auto& name : wanted) {
    bool found = false;
    for (int i = 0; i < md->topic_cnt; ++i)
      if (name == md->topics[i].topic && md->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR) found = true;
    if (!found) missing += (missing.empty() ? "" : ", ") + name;
  }
  rd_kafka_metadata_destroy(md);
  return true;
}

}  // namespace

bool wait_for_topics(rd_kafka_t* rk, const config& cfg, logger& log, const std::atomic<bool>& stop) {
  using steady = std::chrono::steady_clock;
  std::optional<steady::time_point> answered_since;
  steady::time_point last_log{};
  std::string missing;
  while (!stop) {
    const bool answered = missing_topics(rk, cfg, missing);
    if (answered && missing.empty()) return true;
    const auto now = steady::now();
    if (answered && !answered_since) answered_since = now;
    if (answered_since && now - *answered_since >= std::chrono::milliseconds(cfg.topic_wait_ms)) {
      log.error("runner", "topics do not exist; create them (scripts/kafka-up does for a local "
                "broker) or point topics.* at existing ones; topics.figures may be set empty",
                {{"missing", missing}});
      return false;
    }
    if (now - last_log >= std::chrono::seconds(10)) {
      if (answered) log.warn("runner", "waiting for topics to be created", {{"missing", missing}});
      else log.warn("runner", "waiting for a broker to answer", {{"brokers", cfg.brokers}});
      last_log = now;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return false;
}

}  // namespace coopwatch::io

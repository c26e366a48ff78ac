#include "io/topic_limits.h"

#include <charconv>
#include <memory>

namespace coopwatch::io {

namespace {

struct admin_deleter {
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
  void operator()(rd_kafka_ConfigResource_t* r) const { rd_kafka_ConfigResource_destroy(r); }
};

}  // namespace

std::optional<topic_limits> describe_topic_limits(rd_kafka_t* rk, const std::vector<std::string>& topics,
                                                  int timeout_ms) {
  std::unique_ptr<rd_kafka_queue_t, admin_deleter> queue(rd_kafka_queue_new(rk));
  std::vector<std::unique_ptr<rd_kafka_ConfigResource_t, admin_deleter>> owned;
  std::vector<rd_kafka_ConfigResource_t*> resources;
  for (const auto& t : topics) {
    owned.emplace_back(rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, t.c_str()));
    resources.push_back(owned.back().get());
  }
  rd_kafka_DescribeConfigs(rk, resources.data(), resources.size(), nullptr, queue.get());
  std::unique_ptr<rd_kafka_event_t, admin_deleter> ev(rd_kafka_queue_poll(queue.get(), timeout_ms));
  if (!ev || rd_kafka_event_error(ev.get())) return std::nullopt;
  const auto* result = rd_kafka_event_DescribeConfigs_result(ev.get());
  if (!result) return std::nullopt;
  size_t n = 0;
  const rd_kafka_ConfigResource_t** res = rd_kafka_DescribeConfigs_result_resources(result, &n);
  topic_limits out;
  for (size_t i = 0; i < n; ++i) {
    if (rd_kafka_ConfigResource_error(res[i])) continue;
    size_t m = 0;
    const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(res[i], &m);
    for (size_t j = 0; j < m; ++j) {
      if (std::string_view(rd_kafka_ConfigEntry_name(entries[j])) != "max.message.bytes") continue;
      const char* v = rd_kafka_ConfigEntry_value(entries[j]);
      std::int64_t limit = 0;
      if (v && std::from_chars(v, v + std::char_traits<char>::length(v), limit).ec == std::errc())
        out[rd_kafka_ConfigResource_name(res[i])] = limit;
    }
  }
  return out;
}

}  // namespace coopwatch::io

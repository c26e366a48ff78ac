#include "io/dead_letter.h"

#include <algorithm>
#include <string>

namespace coopwatch::io {

dead_letter make_dead_letter(const rd_kafka_message_t* msg, std::string_view reason,
                             std::string_view error, std::int64_t room) {
  rd_kafka_headers_t* h = rd_kafka_headers_new(8);
  auto add = [h](const char* name, std::string_view v) { rd_kafka_header_add(h, name, -1, v.data(), v.size()); };
  add("coopwatch.reason", reason);
  add("coopwatch.error", error);
  add("coopwatch.source.topic", rd_kafka_topic_name(msg->rkt));
  add("coopwatch.source.partition", std::to_string(msg->partition));
  add("coopwatch.source.offset", std::to_string(msg->offset));
  add("coopwatch.pipeline_version", COOPWATCH_VERSION);
  std::string_view key(static_cast<const char*>(msg->key), msg->key ? msg->key_len : 0);
  std::string_view value(static_cast<const char*>(msg->payload), msg->payload ? msg->len : 0);
  if (static_cast<std::int64_t>(value.size()) > room) {
    add("coopwatch.truncated_from", std::to_string(value.size()));
    value = value.substr(0, static_cast<std::size_t>(std::max<std::int64_t>(room, 0)));
  }
  return {h, key, value};
}

}  // namespace coopwatch::io

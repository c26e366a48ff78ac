#include "io/kafka_stats.h"

#include <simdjson.h>

namespace coopwatch::io {

std::optional<kafka_stats> parse_kafka_stats(std::string_view json, std::string_view topic) {
  // Statistics arrive every few seconds: a parser per call is cheap enough
  // and keeps this function free of state.
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size(), true).get(root)) return std::nullopt;
  kafka_stats out;

  std::int64_t msg_cnt;
  if (!root["msg_cnt"].get(msg_cnt)) out.queued_messages = msg_cnt;

  simdjson::dom::object brokers;
  if (!root["brokers"].get(brokers)) {
    for (auto [name, broker] : brokers) {
      std::int64_t node_id = -1;
      std::string_view state;
      // Bootstrap and coordinator placeholders have nodeid -1; real brokers >= 0.
      if (!broker["nodeid"].get(node_id) && node_id >= 0 && !broker["state"].get(state) &&
          state == "UP")
        out.any_broker_up = true;
    }
  }

  simdjson::dom::object partitions;
  if (!root["topics"][topic]["partitions"].get(partitions)) {
    for (auto [id, p] : partitions) {
      std::int64_t partition;
      if (p["partition"].get(partition) || partition < 0) continue;  // -1: unassigned bucket
      partition_stats ps;
      std::int64_t v;
      if (!p["ls_offset"].get(v) && v >= 0) ps.end_offset = v;
      else if (!p["hi_offset"].get(v) && v >= 0) ps.end_offset = v;
      if (!p["committed_offset"].get(v) && v >= 0) ps.committed_offset = v;
      if (ps.end_offset >= 0) out.partitions[static_cast<std::int32_t>(partition)] = ps;
    }
  }
  return out;
}

}  // namespace coopwatch::io

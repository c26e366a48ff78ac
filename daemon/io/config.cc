#include "io/config.h"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <functional>
#include <sstream>

#include "io/data_dir.h"

namespace coopwatch::io {

namespace {

// One declared key: how to set it from text and how to print it.
struct key_spec {
  const char* name;
  const char* doc;
  std::function<void(config&, const std::string&)> set;
  std::function<std::string(const config&)> get;
};

std::int64_t parse_int(const std::string& key, const std::string& v, std::int64_t lo,
                       std::int64_t hi) {
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size())
    throw config_error(key + ": \"" + v + "\" is not an integer");
  if (out < lo || out > hi)
    throw config_error(key + ": " + v + " is out of range [" + std::to_string(lo) + ", " +
                       std::to_string(hi) + "]");
  return out;
}

bool parse_bool(const std::string& key, const std::string& v) {
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  throw config_error(key + ": \"" + v + "\" is not a boolean (true/false)");
}

std::string require_non_empty(const std::string& key, const std::string& v) {
  if (v.empty()) throw config_error(key + ": must not be empty");
  return v;
}

#define STRING_KEY(NAME, MEMBER, DOC)                                                        \
  key_spec {                                                                                 \
    NAME, DOC, [](config& c, const std::string& v) { c.MEMBER = require_non_empty(NAME, v); }, \
        [](const config& c) { return c.MEMBER; }                                             \
  }
#define INT_KEY(NAME, MEMBER, LO, HI, DOC)                                                   \
  key_spec {                                                                                 \
    NAME, DOC, [](config& c, const std::string& v) { c.MEMBER = parse_int(NAME, v, LO, HI); }, \
        [](const config& c) { return std::to_string(c.MEMBER); }                             \
  }

const std::vector<key_spec>& key_table() {
  static const std::vector<key_spec> table = {
      STRING_KEY("kafka.brokers", brokers, "bootstrap servers, host:port[,host:port]"),
      STRING_KEY("kafka.group_id", group_id, "consumer group of the daemon's instances"),
      STRING_KEY("topics.input", input_topic, "raw news items are read from here"),
      STRING_KEY("topics.output", output_topic, "one event per relevant item is written here"),
      STRING_KEY("topics.dead_letter", dead_letter_topic,
                 "records that cannot be processed go here unchanged, with reason headers"),
      key_spec{"topics.figures",
               "one flat record per figure (warehouse rows), in the same transaction as the "
               "event; empty disables it",
               [](config& c, const std::string& v) { c.figures_topic = v; },
               [](const config& c) { return c.figures_topic; }},
      key_spec{"delivery.mode", "exactly_once (Kafka transactions) or at_least_once",
               [](config& c, const std::string& v) {
                 if (v == "exactly_once") c.delivery = delivery_mode::exactly_once;
                 else if (v == "at_least_once") c.delivery = delivery_mode::at_least_once;
                 else
                   throw config_error("delivery.mode: \"" + v +
                                      "\" is not one of exactly_once, at_least_once");
               },
               [](const config& c) {
                 return std::string(c.delivery == delivery_mode::exactly_once ? "exactly_once"
                                                                              : "at_least_once");
               }},
      STRING_KEY("delivery.instance_id", instance_id,
                 "this instance's name within the group (default: host name); "
                 "transactional.id is coopwatch-<group>-<instance>"),
      INT_KEY("delivery.transaction_timeout_ms", transaction_timeout_ms, 1000, 900000,
              "broker aborts a transaction left open this long (crashed instance)"),
      INT_KEY("batch.max_records", batch_max_records, 1, 1000000,
              "a batch (one transaction / one offset commit) closes at this many records "
              "(default 10000 exactly-once, 2000 at-least-once)"),
      INT_KEY("batch.max_ms", batch_max_ms, 1, 600000, "... or this long after it opened"),
      INT_KEY("processing.workers", workers, 1, 64,
              "threads running the core pipeline (each with its own pipeline); Kafka stays on "
              "one thread and outputs keep their input order"),
      INT_KEY("limits.max_record_bytes", max_record_bytes, 64, 1LL << 31,
              "larger input records are dead-lettered as oversized"),
      INT_KEY("limits.max_dead_letter_bytes", max_dead_letter_bytes, 1024, 1LL << 31,
              "a dead letter keeps at most this many bytes of its record (header "
              "coopwatch.truncated_from gives the full size); keep it under the topic's "
              "max.message.bytes"),
      INT_KEY("shutdown.timeout_ms", shutdown_timeout_ms, 100, 600000,
              "on SIGTERM, finish and commit within this time, then exit"),
      INT_KEY("startup.topic_wait_ms", topic_wait_ms, 0, 3600000,
              "at start, wait this long after the broker answers for missing topics to be "
              "created, then exit 2"),
      key_spec{"metrics.listen", "address:port of /metrics; empty disables it",
               [](config& c, const std::string& v) { c.metrics_listen = v; },
               [](const config& c) { return c.metrics_listen; }},
      STRING_KEY("data_dir", data_dir, "directory of lexicons, gazetteer and tables"),
      key_spec{"log.format", "json (one object a line) or text",
               [](config& c, const std::string& v) {
                 if (v == "json") c.log_fmt = log_format::json;
                 else if (v == "text") c.log_fmt = log_format::text;
                 else throw config_error("log.format: \"" + v + "\" is not one of json, text");
               },
               [](const config& c) {
                 return std::string(c.log_fmt == log_format::json ? "json" : "text");
               }},
      key_spec{"log.level", "debug, info, warn or error",
               [](config& c, const std::string& v) {
                 if (v != "debug" && v != "info" && v != "warn" && v != "error")
                   throw config_error("log.level: \"" + v +
                                      "\" is not one of debug, info, warn, error");
                 c.log_level = v;
               },
               [](const config& c) { return c.log_level; }},
      key_spec{"passthrough", "decode and forward records without the pipeline (benchmarks)",
               [](config& c, const std::string& v) { c.passthrough = parse_bool("passthrough", v); },
               [](const config& c) { return std::string(c.passthrough ? "true" : "false"); }},
  };
  return table;
}

constexpr std::string_view kPassThrough[] = {"kafka.common.", "kafka.consumer.", "kafka.producer."};

std::map<std::string, std::string>* pass_through_map(config& c, std::string_view prefix) {
  if (prefix == "kafka.common.") return &c.kafka_common;
  if (prefix == "kafka.consumer.") return &c.kafka_consumer;
  return &c.kafka_producer;
}

// Sets `key` from `value`; `where` names the source for the error message.
void set_key(config& c, const std::string& key, const std::string& value, const std::string& where) {
  try {
    for (auto prefix : kPassThrough) {
      if (key.rfind(prefix, 0) == 0 && key.size() > prefix.size()) {
        (*pass_through_map(c, prefix))[key.substr(prefix.size())] = value;
        return;
      }
    }
    for (const auto& spec : key_table()) {
      if (key == spec.name) {
        spec.set(c, value);
        return;
      }
    }
    throw config_error("unknown key \"" + key + "\"");
  } catch (const config_error& e) {
    throw config_error(where + ": " + e.what());
  }
}

// Walks YAML maps, joining nested keys with '.', so `kafka: {brokers: x}` and
// `kafka.brokers: x` mean the same.
void load_yaml_node(config& c, const YAML::Node& node, const std::string& prefix,
                    const std::string& path) {
  for (const auto& kv : node) {
    std::string key = prefix + kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    std::string where = path + ":" + std::to_string(kv.first.Mark().line + 1);
    bool pass_through_prefix = false;
    for (auto p : kPassThrough)
      if (p.substr(0, p.size() - 1) == key) pass_through_prefix = true;
    if (v.IsMap()) {
      load_yaml_node(c, v, key + ".", path);
    } else if (v.IsScalar()) {
      if (pass_through_prefix) throw config_error(where + ": " + key + " must be a map");
      set_key(c, key, v.Scalar(), where);
    } else if (v.IsNull()) {
      set_key(c, key, "", where);
    } else {
      throw config_error(where + ": " + key + " must be a scalar value");
    }
  }
}

std::string env_name(const std::string& key) {
  std::string out = "COOPWATCH_";
  for (char ch : key) out += (ch == '.') ? '_' : static_cast<char>(std::toupper(ch));
  return out;
}

void load_environment(config& c, char** env) {
  if (!env) return;
  std::map<std::string, std::string> vars;
  for (char** e = env; *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) vars.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  for (const auto& spec : key_table()) {
    std::string name = env_name(spec.name);
    if (auto it = vars.find(name); it != vars.end())
      set_key(c, spec.name, it->second, "environment " + name);
  }
  // Pass-through: COOPWATCH_KAFKA_CONSUMER_SESSION_TIMEOUT_MS -> kafka.consumer.session.timeout.ms
  for (const auto& [name, value] : vars) {
    for (auto prefix : kPassThrough) {
      std::string env_prefix = env_name(std::string(prefix));
      if (name.rfind(env_prefix, 0) != 0 || name.size() == env_prefix.size()) continue;
      std::string prop = name.substr(env_prefix.size());
      for (char& ch : prop) ch = ch == '_' ? '.' : static_cast<char>(std::tolower(ch));
      set_key(c, std::string(prefix) + prop, value, "environment " + name);
    }
  }
}

std::string host_name() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0 || !buf[0]) return "local";
  return buf;
}

}  // namespace

config load_config(const std::string& path, const std::vector<std::string>& overrides,
                   char** environ_ptr) {
  config c;
  c.instance_id = host_name();
  c.data_dir = default_data_dir();
  if (!path.empty()) {
    YAML::Node root;
    try {
      root = YAML::LoadFile(path);
    } catch (const YAML::BadFile&) {
      throw config_error(path + ": cannot open the config file");
    } catch (const YAML::Exception& e) {
      throw config_error(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    if (root.IsMap()) {
      load_yaml_node(c, root, "", path);
    } else if (!root.IsNull()) {
      throw config_error(path + ": the config must be a YAML map of keys");
    }
  }
  load_environment(c, environ_ptr);
  for (const auto& o : overrides) {
    auto eq = o.find('=');
    if (eq == std::string::npos || eq == 0)
      throw config_error("--set " + o + ": expected key=value");
    set_key(c, o.substr(0, eq), o.substr(eq + 1), "--set " + o.substr(0, eq));
  }
  if (c.batch_max_records == 0)
    c.batch_max_records = c.delivery == delivery_mode::exactly_once ? kDefaultBatchRecordsExactlyOnce
                                                                    : kDefaultBatchRecordsAtLeastOnce;
  if (c.delivery == delivery_mode::exactly_once &&
      c.kafka_producer.count("transactional.id"))
    throw config_error(
        "kafka.producer.transactional.id: set delivery.instance_id instead; the daemon derives "
        "transactional.id from the group and the instance");
  return c;
}

bool is_secret_key(const std::string& key) {
  for (const char* word : {"password", "secret", "jaas", "key.pem", "private", "token"})
    if (key.find(word) != std::string::npos) return true;
  return false;
}

std::string describe_config(const config& c) {
  std::ostringstream out;
  for (const auto& spec : key_table()) out << spec.name << ": " << spec.get(c) << "\n";
  auto dump = [&](const char* prefix, const std::map<std::string, std::string>& m) {
    for (const auto& [k, v] : m)
      out << prefix << k << ": " << (is_secret_key(k) ? "********" : v) << "\n";
  };
  dump("kafka.common.", c.kafka_common);
  dump("kafka.consumer.", c.kafka_consumer);
  dump("kafka.producer.", c.kafka_producer);
  out << "# transactional.id: " << c.transactional_id() << "\n";
  return out.str();
}

std::vector<std::pair<std::string, std::string>> config_reference() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& spec : key_table()) out.emplace_back(spec.name, spec.doc);
  return out;
}

}  // namespace coopwatch::io

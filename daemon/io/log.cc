#include "io/log.h"

#include <cstdio>

#include "coopwatch/core/json_writer.h"
#include "io/clock.h"

namespace coopwatch::io {

log_level parse_log_level(std::string_view s) {
  if (s == "debug") return log_level::debug;
  if (s == "warn") return log_level::warn;
  if (s == "error") return log_level::error;
  return log_level::info;
}

namespace {

std::string_view level_name(log_level l) {
  switch (l) {
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warn: return "warn";
    case log_level::error: return "error";
  }
  return "info";
}

}  // namespace

void logger::log(log_level level, std::string_view component, std::string_view msg,
                 std::initializer_list<log_field> fields) {
  if (!enabled(level)) return;
  std::string line;
  if (format_ == log_format::json) {
    core::json_writer w(line);
    w.begin_object();
    w.field("ts", std::string_view(utc_now_rfc3339()));
    w.field("level", level_name(level)).field("component", component).field("msg", msg);
    for (const auto& [k, v] : fields) w.field(k, std::string_view(v));
    w.end_object();
  } else {
    line = utc_now_rfc3339() + " " + std::string(level_name(level)) + " [" + std::string(component) +
           "] " + std::string(msg);
    for (const auto& [k, v] : fields) line += " " + std::string(k) + "=" + v;
  }
  line.push_back('\n');
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace coopwatch::io

#pragma once
// Levelled, structured logging for the shell: one line per event on stderr,
// either a JSON object ({"ts","level","component","msg", fields...}) or plain
// text. Thread-safe (librdkafka logs from its own threads). The core never logs.

#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "io/config.h"

namespace coopwatch::io {

enum class log_level { debug = 0, info = 1, warn = 2, error = 3 };

[[nodiscard]] log_level parse_log_level(std::string_view s);

using log_field = std::pair<std::string_view, std::string>;

class logger {
 public:
  logger(log_format format, log_level min_level) : format_(format), min_(min_level) {}

  void log(log_level level, std::string_view component, std::string_view msg,
           std::initializer_list<log_field> fields = {});
  void debug(std::string_view c, std::string_view m, std::initializer_list<log_field> f = {}) { log(log_level::debug, c, m, f); }
  void info(std::string_view c, std::string_view m, std::initializer_list<log_field> f = {}) { log(log_level::info, c, m, f); }
  void warn(std::string_view c, std::string_view m, std::initializer_list<log_field> f = {}) { log(log_level::warn, c, m, f); }
  void error(std::string_view c, std::string_view m, std::initializer_list<log_field> f = {}) { log(log_level::error, c, m, f); }
  [[nodiscard]] bool enabled(log_level level) const noexcept { return level >= min_; }

 private:
  log_format format_;
  log_level min_;
  std::mutex mutex_;
};

}  // namespace coopwatch::io

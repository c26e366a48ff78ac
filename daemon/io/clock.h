#pragma once
// Wall-clock helpers for the shell (the core reads no clock).

#include <cstdint>
#include <string>

namespace coopwatch::io {

// Current UTC time as RFC 3339 with milliseconds, e.g. 2026-11-25T14:16:16.123Z.
[[nodiscard]] std::string utc_now_rfc3339();

// The same, formatted at most once per millisecond: the loop stamps every
// event with processed_at, and formatting a date per record is measurable.
// One per thread.
class utc_clock {
 public:
  [[nodiscard]] const std::string& now();

 private:
  std::int64_t ms_ = -1;
  std::string text_;
};

}  // namespace coopwatch::io

#pragma once
// Wall-clock helpers for the shell (the core reads no clock).

#include <string>

namespace coopwatch::io {

// Current UTC time as RFC 3339 with milliseconds, e.g. 2026-11-25T14:16:16.123Z.
[[nodiscard]] std::string utc_now_rfc3339();

}  // namespace coopwatch::io

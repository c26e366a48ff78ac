#pragma once
// Per-call marks without clearing: each element records the call that last
// touched it, and a call's stamp is new, so everything marked by earlier
// calls reads as unmarked. Only when the 32-bit counter wraps are the marks
// reset (once per four billion calls).

#include <algorithm>
#include <cstdint>
#include <vector>

namespace coopwatch::core::detail {

// Advances `stamp` to the next call's value (never 0, the value of an
// untouched mark); on wrap-around resets every mark to T{}.
template <class T>
std::uint32_t next_call_stamp(std::uint32_t& stamp, std::vector<T>& marks) {
  if (++stamp == 0) {
    std::fill(marks.begin(), marks.end(), T{});
    stamp = 1;
  }
  return stamp;
}

}  // namespace coopwatch::core::detail

#pragma once
// Pass 2 of the normaliser: finds text that went through a wrong decoder.
//  - UTF-8 read as GBK, Big5 or Latin-1/cp1252 ("鏂囧寲" for "文化"): the run
//    is encoded back to the wrong charset and decoded as UTF-8. A "?" the
//    wrong decoder left for a byte it could not map is a lost byte: the run is
//    still decoded (the lost character becomes U+FFFD) but marked unreliable.
//  - Damage that cannot be undone ("當?shù)馗刹" in re-published pages): a "?"
//    wedged between CJK characters next to rare characters or stray Latin
//    letters, or a dense run of rare characters, is marked unreliable.
// Tables are built once at load (ICU converters for GBK and Big5).

#include <string_view>
#include <vector>

#include "coopwatch/core/normalize.h"
#include "normalize_buffer.h"
#include "normalize_cp_map.h"
#include "t2s.h"

namespace coopwatch::core::detail {

class mojibake_tables {
 public:
  // common_chars: "normalize/common_chars.txt" (frequent hanzi, any layout).
  void build(const t2s_table& t2s, std::string_view common_chars);

  [[nodiscard]] std::uint32_t gbk(char32_t cp) const noexcept { return codes_.get(cp) >> 16; }
  [[nodiscard]] std::uint32_t big5(char32_t cp) const noexcept { return codes_.get(cp) & 0xFFFF; }
  [[nodiscard]] std::uint32_t cls(char32_t cp) const noexcept { return class_.get(cp); }
  // Cheap pre-test: cp may start a mojibake run or is '?'.
  [[nodiscard]] bool may_start(char32_t cp) const noexcept { return starts_.test(cp); }
  [[nodiscard]] const cp_bitset& starts() const noexcept { return starts_; }

  static constexpr std::uint32_t common = 1;       // frequent hanzi (also in Traditional form)
  static constexpr std::uint32_t gbk_start = 2;    // GBK bytes look like a UTF-8 lead + continuation
  static constexpr std::uint32_t big5_start = 4;   // same for Big5
  static constexpr std::uint32_t latin_start = 8;  // a Latin-1 char that is a UTF-8 lead byte
  static constexpr std::uint32_t suspicious = gbk_start | big5_start | latin_start;

 private:
  cp_map codes_;  // GBK code << 16 | Big5 code
  cp_map class_;
  cp_bitset starts_;
};

// True if a mojibake run that fix_mojibake() would repair starts at byte i
// of `in` (i is at the start of a character).
bool mojibake_run_at(const text_buffer& in, std::size_t i, const mojibake_tables& tables);

// Repairs or marks mojibake in `in`. Returns false (and leaves `out` alone)
// if no text changed, so the caller can keep using `in`; otherwise `out`
// agrees with `in` (bytes and origins) before first_change. Unreliable spans
// are appended to `unreliable` as ranges of the original field. The walk
// begins at `start` (a character boundary), which the caller guarantees a walk
// from 0 would reach without repairing or marking anything.
bool fix_mojibake(const text_buffer& in, const mojibake_tables& tables, text_buffer& out,
                  std::vector<origin_range>& unreliable, normalize_stats& stats,
                  std::size_t& first_change, std::size_t start = 0);

}  // namespace coopwatch::core::detail

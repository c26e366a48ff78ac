#pragma once
// NFKC without calling ICU per character: a table, built once from ICU at
// load time, of the code points NFKC changes (full-width forms, ideographic
// space, compatibility ideographs, circled digits ...). Code points that may
// combine with what precedes them (combining marks) are flagged; only those
// rare spots call ICU's normaliser at run time. Immutable after build.

#include <cstdint>
#include <string>

#include "normalize_cp_map.h"

namespace coopwatch::core::detail {

class nfkc_table {
 public:
  // Builds the table from ICU's NFKC data. Throws std::runtime_error if ICU fails.
  void build();

  struct lookup {
    const char32_t* begin;  // replacement, or nullptr if NFKC keeps the character
    const char32_t* end;
    bool combines_back;     // may compose with the preceding character(s)
  };
  [[nodiscard]] lookup get(char32_t cp) const noexcept {
    const std::uint32_t v = table_.get(cp);
    if (v == 0) return {nullptr, nullptr, false};
    const bool back = (v & back_flag) != 0;
    const std::uint32_t len = v & len_mask;
    if (len == 0) return {nullptr, nullptr, back};
    const char32_t* b = pool_.data() + ((v & ~back_flag) >> len_bits);
    return {b, b + len, back};
  }

  // Full NFKC of a short sequence, via ICU (used only around combining marks).
  // Writes at most `cap` code points to out and returns the count.
  std::size_t normalize_slow(const char32_t* in, std::size_t n, char32_t* out,
                             std::size_t cap) const noexcept;

 private:
  static constexpr std::uint32_t back_flag = 0x80000000u;
  static constexpr int len_bits = 5;
  static constexpr std::uint32_t len_mask = (1u << len_bits) - 1;
  cp_map table_;  // bit 31: combines back; bits 5-30: pool offset; bits 0-4: length
  std::u32string pool_;
  const void* icu_nfkc_ = nullptr;  // const icu::Normalizer2*, owned by ICU
};

}  // namespace coopwatch::core::detail

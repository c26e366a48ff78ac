#pragma once
// A two-level table from code point to a 32-bit value (0 = no entry), used for
// the normaliser's per-character lookups (Traditional -> Simplified, NFKC
// exceptions, character classes). Pages of 256 code points are allocated only
// where some entry is set, so a lookup is two loads and no hashing.

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace coopwatch::core::detail {

class cp_map {
 public:
  static constexpr char32_t limit = 0x110000;

  cp_map() { index_.fill(0); pages_.emplace_back(); pages_[0].fill(0); }

  [[nodiscard]] std::uint32_t get(char32_t cp) const noexcept {
    if (cp >= limit) return 0;
    return pages_[index_[cp >> 8]][cp & 0xFF];
  }
  void set(char32_t cp, std::uint32_t value) {
    if (cp >= limit) return;
    std::uint32_t& page = index_[cp >> 8];
    if (page == 0) {
      page = std::uint32_t(pages_.size());
      pages_.emplace_back();
      pages_.back().fill(0);
    }
    pages_[page][cp & 0xFF] = value;
  }

 private:
  // Page 0 is all zeros and shared by every code point without entries.
  std::array<std::uint32_t, (limit >> 8)> index_;
  std::vector<std::array<std::uint32_t, 256>> pages_;
};

}  // namespace coopwatch::core::detail

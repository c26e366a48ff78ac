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

// One bit per code point (136 KiB, of which text touches a few KiB): the
// "does this character need a closer look" tests on the hot paths.
class cp_bitset {
 public:
  cp_bitset() : bits_((cp_map::limit + 63) / 64, 0) {}
  [[nodiscard]] bool test(char32_t cp) const noexcept {
    return cp < cp_map::limit && ((bits_[cp >> 6] >> (cp & 63)) & 1) != 0;
  }
  void set(char32_t cp) {
    if (cp < cp_map::limit) bits_[cp >> 6] |= std::uint64_t(1) << (cp & 63);
  }
  // Word k holds the bits of code points 64k .. 64k+63.
  [[nodiscard]] const std::uint64_t* words() const noexcept { return bits_.data(); }

 private:
  std::vector<std::uint64_t> bits_;
};

}  // namespace coopwatch::core::detail

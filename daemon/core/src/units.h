#pragma once
// Unit table for figures (extract/units.tsv): the word written after a number
// (元, 万元, 人次, 个, 亩, 美元 …) -> normalised unit and factor, plus words
// that make the number a non-figure (年, 月, 岁, 个小时 …). Built once,
// immutable, shared across threads; lookups do not allocate.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace coopwatch::core::detail::extraction {

// Unit categories as bits, so lexicon entries can say which units they govern.
enum unit_bit : std::uint32_t {
  unit_money = 1u << 0,  // CNY and other currencies
  unit_person = 1u << 1,
  unit_person_time = 1u << 2,
  unit_household = 1u << 3,
  unit_count = 1u << 4,
  unit_percent = 1u << 5,
  unit_mu = 1u << 6,
  unit_all = 0x7Fu,
};

// Parses "CNY,person" style lists (or "*") into a mask; throws on unknown names.
[[nodiscard]] std::uint32_t parse_unit_mask(std::string_view list);
// Bit for a unit name ("USD" and other ISO codes map to unit_money); 0 if unknown.
[[nodiscard]] std::uint32_t unit_bit_of(std::string_view unit) noexcept;

struct unit_entry {
  std::string surface;   // as written, e.g. "万元"
  std::string unit;      // "CNY", "person", ...; empty for a non-figure word
  double factor = 1;     // 万元 -> 1e4
  bool not_figure = false;
  bool arabic_only = false;  // place words (3市, 5县): after Arabic numerals only, never 两市
  // A measure word of occasions or objects (场, 批, 笔, 套, 类, 台): what it
  // counts is named by no metric, whatever the words around it (12场招聘会,
  // 14批支教教师 count events and batches, not people).
  bool counts_other = false;
  // A word that is this unit only where no ideograph follows it: 块 is a
  // yuan at a clause's end (每个月能拿3000多块，) and a measure word before
  // a noun (一块大屏, 3块牌子).
  bool alone_only = false;
};

class unit_table {
 public:
  // Throws std::runtime_error("extract/units.tsv:LINE: ...") on bad rows.
  static unit_table parse(std::string_view tsv, std::string_view file_name);

  // Longest entry written at `pos`, or nullptr.
  [[nodiscard]] const unit_entry* match(std::string_view text, std::size_t pos) const noexcept;

 private:
  std::vector<unit_entry> entries_;
  // First code point -> entry indices, longest surface first.
  std::unordered_map<char32_t, std::vector<std::uint32_t>> by_first_;
};

}  // namespace coopwatch::core::detail::extraction

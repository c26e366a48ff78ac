#pragma once
// Character helpers shared by the number parser and the figure extractor:
// a bounds-checked UTF-8 decoder and the tables of numeral characters.
// Header-only, constexpr where possible, no state.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace coopwatch::core::detail::extraction {

struct code_point {
  char32_t cp = 0;      // U+FFFD for ill-formed input
  std::uint32_t len = 0;  // bytes consumed, 0 at end of text
};

// Decodes the code point at `pos`; never reads past the end of `s`.
[[nodiscard]] inline code_point decode_at(std::string_view s, std::size_t pos) noexcept {
  if (pos >= s.size()) return {0, 0};
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) return {b0, 1};
  std::uint32_t need = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    need = 1;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    need = 2;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    need = 3;
    cp = b0 & 0x07;
  } else {
    return {0xFFFD, 1};
  }
  if (pos + need >= s.size()) return {0xFFFD, 1};
  for (std::uint32_t i = 1; i <= need; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, need + 1};
}

// Decodes the code point that ends just before `pos` (pos > 0).
[[nodiscard]] inline code_point decode_before(std::string_view s, std::size_t pos) noexcept {
  if (pos == 0 || pos > s.size()) return {0, 0};
  std::size_t start = pos - 1;
  std::size_t steps = 0;
  while (start > 0 && steps < 3 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
    --start;
    ++steps;
  }
  const code_point c = decode_at(s, start);
  if (start + c.len != pos) return {0xFFFD, static_cast<std::uint32_t>(pos - start)};
  return c;
}

// Arabic digit value (ASCII or full-width), or -1.
[[nodiscard]] constexpr int arabic_digit(char32_t c) noexcept {
  if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
  if (c >= 0xFF10 && c <= 0xFF19) return static_cast<int>(c - 0xFF10);
  return -1;
}

// Chinese digit value 0..9 (一 … 九, 两, 〇, 零, financial forms), or -1.
[[nodiscard]] constexpr int chinese_digit(char32_t c) noexcept {
  switch (c) {
    case U'零': case U'〇': return 0;
    case U'一': case U'壹': return 1;
    case U'二': case U'两': case U'兩': case U'贰': case U'貳': return 2;
    case U'三': case U'叁': return 3;
    case U'四': case U'肆': return 4;
    case U'五': case U'伍': return 5;
    case U'六': case U'陆': case U'陸': return 6;
    case U'七': case U'柒': return 7;
    case U'八': case U'捌': return 8;
    case U'九': case U'玖': return 9;
    default: return -1;
  }
}

// Value of a Chinese power-of-ten character (十 百 千 万 亿 and their
// financial and Traditional forms), or 0.
[[nodiscard]] constexpr double chinese_power(char32_t c) noexcept {
  switch (c) {
    case U'十': case U'拾': return 10;
    case U'百': case U'佰': return 100;
    case U'千': case U'仟': return 1000;
    case U'万': case U'萬': return 1e4;
    case U'亿': case U'億': return 1e8;
    default: return 0;
  }
}

[[nodiscard]] constexpr bool is_approx_digit(char32_t c) noexcept { return c == U'几' || c == U'幾'; }

// A word of approximation after which a bare 百, 千 or 万 counts one of them
// (逾千人, 上千名, 近百家, 超过万人): the parser reads the number, and the
// extractor keeps it as a figure.
[[nodiscard]] constexpr bool approximates_bare_power(char32_t c) noexcept {
  return c == U'逾' || c == U'近' || c == U'上' || c == U'超' || c == U'过' || c == U'過';
}

[[nodiscard]] constexpr bool is_decimal_point(char32_t c) noexcept {
  return c == U'.' || c == 0xFF0E;  // '.' and full-width '．'
}

// Between thousands groups: ',' and '，', and the spaces that typeset text
// and PDF conversions put there (3 600万元); a group is exactly three digits
// after one, so "第3 个" or "2019 500" are never read as one number.
[[nodiscard]] constexpr bool is_group_separator(char32_t c) noexcept {
  return c == U',' || c == 0xFF0C || c == U' ' || c == 0xA0 || c == 0x2009 || c == 0x202F;
}

[[nodiscard]] constexpr bool is_ascii_alpha(char32_t c) noexcept {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

// Bitmap over the Basic Multilingual Plane of the characters that may start
// a number (digits, Chinese numerals, 几, 百 of 百分之): a scanner's fast path.
class number_start_set {
 public:
  constexpr number_start_set() {
    for (char32_t c = U'0'; c <= U'9'; ++c) add(c);
    for (char32_t c = 0xFF10; c <= 0xFF19; ++c) add(c);
    // Every character chinese_digit, chinese_power and is_approx_digit accept.
    for (char32_t c : U"零〇一壹二两兩贰貳三叁四肆五伍六陆陸七柒八捌九玖十拾百佰千仟万萬亿億几幾") add(c);
  }
  [[nodiscard]] constexpr bool contains(char32_t c) const noexcept {
    return c < 0x10000 && ((bits_[c >> 6] >> (c & 63)) & 1u) != 0;
  }

 private:
  constexpr void add(char32_t c) {
    if (c != 0 && c < 0x10000) bits_[c >> 6] |= std::uint64_t{1} << (c & 63);
  }
  std::uint64_t bits_[1024] = {};
};

inline constexpr number_start_set number_starts{};

[[nodiscard]] inline bool may_start_number(char32_t c) noexcept { return number_starts.contains(c); }

}  // namespace coopwatch::core::detail::extraction

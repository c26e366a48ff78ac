#pragma once
// UTF-8 decoding and encoding helpers for the normaliser's passes. Decoding
// never fails: an ill-formed sequence reports length 1 and `valid == false`,
// so the caller replaces exactly one byte and moves on.

#include <cstddef>
#include <cstdint>

namespace coopwatch::core::detail {

inline constexpr char32_t replacement_char = 0xFFFD;

struct decoded_char {
  char32_t cp;
  std::uint32_t length;  // bytes consumed, >= 1 when any input is left
  bool valid;
};

// Decodes one code point at p (p < end). Rejects overlongs, surrogates and
// values above U+10FFFF as the Unicode standard requires.
inline decoded_char decode_utf8(const unsigned char* p, const unsigned char* end) noexcept {
  const unsigned c0 = p[0];
  if (c0 < 0x80) return {c0, 1, true};
  const std::ptrdiff_t left = end - p;
  auto cont = [&](std::ptrdiff_t i) { return i < left && (p[i] & 0xC0) == 0x80; };
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    if (cont(1)) return {char32_t(((c0 & 0x1F) << 6) | (p[1] & 0x3F)), 2, true};
  } else if (c0 >= 0xE0 && c0 <= 0xEF) {
    if (cont(1) && cont(2)) {
      const char32_t cp = ((c0 & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return {cp, 3, true};
    }
  } else if (c0 >= 0xF0 && c0 <= 0xF4) {
    if (cont(1) && cont(2) && cont(3)) {
      const char32_t cp =
          ((c0 & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
      if (cp >= 0x10000 && cp <= 0x10FFFF) return {cp, 4, true};
    }
  }
  return {replacement_char, 1, false};
}

// Decodes one code point of text already known to be valid UTF-8.
inline char32_t decode_valid_utf8(const unsigned char* p, std::uint32_t& length) noexcept {
  const unsigned c0 = p[0];
  if (c0 < 0x80) {
    length = 1;
    return c0;
  }
  if (c0 < 0xE0) {
    length = 2;
    return char32_t(((c0 & 0x1F) << 6) | (p[1] & 0x3F));
  }
  if (c0 < 0xF0) {
    length = 3;
    return char32_t(((c0 & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F));
  }
  length = 4;
  return char32_t(((c0 & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) |
                  (p[3] & 0x3F));
}

// Writes cp (a valid scalar value) at out; returns the number of bytes (1-4).
inline std::uint32_t encode_utf8(char32_t cp, char* out) noexcept {
  if (cp < 0x80) {
    out[0] = char(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = char(0xC0 | (cp >> 6));
    out[1] = char(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = char(0xE0 | (cp >> 12));
    out[1] = char(0x80 | ((cp >> 6) & 0x3F));
    out[2] = char(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = char(0xF0 | (cp >> 18));
  out[1] = char(0x80 | ((cp >> 12) & 0x3F));
  out[2] = char(0x80 | ((cp >> 6) & 0x3F));
  out[3] = char(0x80 | (cp & 0x3F));
  return 4;
}

inline constexpr bool is_cjk_ideograph(char32_t cp) noexcept {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

}  // namespace coopwatch::core::detail

#include "pinyin.h"

#include "utf8.h"

namespace coopwatch::core::detail {
namespace {

// Vowels with tone marks (and ü, ń, ň, ǹ, ḿ, which only occur in pinyin).
bool is_tone_letter(char32_t c) {
  switch (c) {
    case U'ā': case U'á': case U'ǎ': case U'à':
    case U'ē': case U'é': case U'ě': case U'è':
    case U'ī': case U'í': case U'ǐ': case U'ì':
    case U'ō': case U'ó': case U'ǒ': case U'ò':
    case U'ū': case U'ú': case U'ǔ': case U'ù':
    case U'ǖ': case U'ǘ': case U'ǚ': case U'ǜ': case U'ü':
    case U'ń': case U'ň': case U'ǹ': case U'ḿ':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::size_t pinyin_gloss_length(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  const auto* const begin = p;
  if (p >= end) return 0;
  decoded_char d = decode_utf8(p, end);
  if (d.cp != U'(' && d.cp != U'（') return 0;
  p += d.length;
  int letters = 0;
  bool tone = false;
  while (p < end && letters <= 7) {
    d = decode_utf8(p, end);
    if (d.cp == U')' || d.cp == U'）') {
      if (letters == 0 || !tone) return 0;
      return std::size_t(p + d.length - begin);
    }
    if (d.cp >= U'a' && d.cp <= U'z') {
    } else if (is_tone_letter(d.cp)) {
      tone = true;
    } else {
      return 0;
    }
    ++letters;
    p += d.length;
  }
  return 0;
}

}  // namespace coopwatch::core::detail

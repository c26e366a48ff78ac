#include "sentence_ends.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace coopwatch::core::detail {
namespace {

// Length of the sentence end at p (p < end), or 0. 。 is E3 80 82; ！ ？ ；
// are EF BC 81, EF BC 9F, EF BC 9B.
std::size_t end_at(const unsigned char* p, const unsigned char* end) noexcept {
  switch (p[0]) {
    case '\n': case '!': case '?': case ';': return 1;
    case 0xE3: return end - p >= 3 && p[1] == 0x80 && p[2] == 0x82 ? 3 : 0;
    case 0xEF: return end - p >= 3 && p[1] == 0xBC && (p[2] == 0x81 || p[2] == 0x9F || p[2] == 0x9B) ? 3 : 0;
    default: return 0;
  }
}

}  // namespace

void find_sentence_ends(std::string_view text, std::vector<std::uint32_t>& out) {
  out.clear();
  const auto* const base = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = base + text.size();
  std::size_t i = 0;
#if defined(__SSE2__)
  // 16 positions at a time, each tested on its three bytes at once (loads at
  // +1 and +2): exact, so a full-width comma (EF BC 8C) or 、(E3 80 81), as
  // common as the characters around them, costs nothing.
  const auto eq = [](__m128i v, unsigned char b) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(b))); };
  for (; i + 16 + 2 <= text.size(); i += 16) {
    const __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i));
    const __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i + 1));
    const __m128i v2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(base + i + 2));
    const __m128i ascii = _mm_or_si128(_mm_or_si128(eq(v0, '\n'), eq(v0, '!')), _mm_or_si128(eq(v0, '?'), eq(v0, ';')));
    const __m128i full_stop = _mm_and_si128(eq(v0, 0xE3), _mm_and_si128(eq(v1, 0x80), eq(v2, 0x82)));
    const __m128i full_width = _mm_and_si128(_mm_and_si128(eq(v0, 0xEF), eq(v1, 0xBC)),
                                             _mm_or_si128(_mm_or_si128(eq(v2, 0x81), eq(v2, 0x9F)), eq(v2, 0x9B)));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(ascii, _mm_or_si128(full_stop, full_width))));
    while (mask != 0) {
      out.push_back(static_cast<std::uint32_t>(i + static_cast<unsigned>(__builtin_ctz(mask))));
      mask &= mask - 1;
    }
  }
#endif
  for (; i < text.size(); ++i)
    if (end_at(base + i, end) != 0) out.push_back(static_cast<std::uint32_t>(i));
}

bool has_sentence_end(std::string_view s) {
  const auto* const base = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size(); ++i)
    if (end_at(base + i, base + s.size()) != 0) return true;
  return false;
}

}  // namespace coopwatch::core::detail

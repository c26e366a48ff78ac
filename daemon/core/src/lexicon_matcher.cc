#include "lexicon_matcher.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace coopwatch::core::detail {

namespace {

constexpr std::uint64_t kPrefixMask = 0xFFFFFFFFFFFFull;  // the first kPrefix bytes, little-endian
constexpr std::size_t kShortKey = 3;                      // a short literal's filter key: one CJK character
constexpr std::uint64_t kShortMask = 0xFFFFFFull;
// The first n bytes of a little-endian word, n = 0..8.
constexpr std::uint64_t kTailMask[9] = {0,          0xFF,           0xFFFF,           0xFFFFFF,          0xFFFFFFFF,
                                        0xFFFFFFFFFFull, 0xFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFull, ~std::uint64_t{0}};

std::uint64_t prefix_key(const char* p, std::size_t n) {
  std::uint64_t key = 0;
  std::memcpy(&key, p, n);
  return key;
}

// log2 of the smallest power of two >= max(n, floor).
std::uint32_t log2_ceil(std::size_t n, std::size_t floor) {
  return static_cast<std::uint32_t>(std::bit_width(std::max(n, floor) - 1));
}

}  // namespace

lexicon_matcher::lexicon_matcher(const std::vector<std::string>& literals, const std::vector<std::uint32_t>& tags) {
  if (literals.empty()) throw std::runtime_error("lexicon: no entries");
  if (!tags.empty() && tags.size() != literals.size()) throw std::runtime_error("lexicon: not one tag per entry");
  std::vector<std::uint32_t> longs, shorts;
  std::size_t total = 0;
  for (std::size_t i = 0; i < literals.size(); ++i) {
    if (literals[i].empty()) throw std::runtime_error("lexicon: empty entry");
    total += literals[i].size();
    if (total >= UINT32_MAX || literals.size() >= UINT32_MAX) throw std::runtime_error("lexicon: too large");
    (literals[i].size() >= kPrefix ? longs : shorts).push_back(static_cast<std::uint32_t>(i));
  }
  auto key_of = [&](std::uint32_t i) { return prefix_key(literals[i].data(), kPrefix); };
  auto add = [&](std::uint32_t i) {
    std::uint64_t tail[2] = {0, 0};
    if (literals[i].size() > kPrefix)
      std::memcpy(tail, literals[i].data() + kPrefix, std::min<std::size_t>(16, literals[i].size() - kPrefix));
    literals_.push_back({i, static_cast<std::uint32_t>(literals[i].size()), static_cast<std::uint32_t>(bytes_.size()),
                         tags.empty() ? 0 : tags[i], {tail[0], tail[1]}});
    bytes_ += literals[i];
  };

  // Long literals grouped by key, longest first inside a group.
  std::sort(longs.begin(), longs.end(), [&](std::uint32_t a, std::uint32_t b) {
    auto ka = key_of(a), kb = key_of(b);
    return ka != kb ? ka < kb : literals[a].size() > literals[b].size();
  });
  std::vector<slot> groups;
  for (auto i : longs) {
    if (groups.empty() || groups.back().key != key_of(i))
      groups.push_back({key_of(i), static_cast<std::uint32_t>(literals_.size()), 0});
    ++groups.back().count;
    add(i);
  }
  const std::uint32_t slot_bits = log2_ceil(2 * groups.size(), 16);
  slot_shift_ = 64 - slot_bits;
  slots_.assign(std::size_t{1} << slot_bits, slot{});
  const std::uint32_t filter_bits = log2_ceil(64 * groups.size(), 256);  // 256 KiB here: ~1.5 % let through
  filter_shift_ = 64 - filter_bits;
  filter_.assign(std::size_t{1} << filter_bits, 0);
  const std::size_t mask = slots_.size() - 1;
  for (const auto& g : groups) {
    const std::uint64_t h = hash(g.key);
    filter_[h >> filter_shift_] = 1;
    std::size_t k = h >> slot_shift_;
    while (slots_[k].count != 0) k = (k + 1) & mask;
    slots_[k] = g;
    most_per_position_ = std::max(most_per_position_, g.count);
    starts_[static_cast<unsigned char>(literals[literals_[g.first].id][0])] |= 1;
  }

  // Short literals by first byte, longest first.
  std::sort(shorts.begin(), shorts.end(), [&](std::uint32_t a, std::uint32_t b) {
    auto fa = static_cast<unsigned char>(literals[a][0]), fb = static_cast<unsigned char>(literals[b][0]);
    return fa != fb ? fa < fb : literals[a].size() > literals[b].size();
  });
  short_first_.assign(257, 0);
  short_filter_.assign(std::size_t{1} << (64 - kShortFilterShift), 0);
  const auto base = static_cast<std::uint32_t>(literals_.size());
  for (auto i : shorts) {
    const auto b = static_cast<unsigned char>(literals[i][0]);
    ++short_first_[b + 1];
    starts_[b] |= 2;
    if (literals[i].size() >= kShortKey) {
      short_filter_[hash(prefix_key(literals[i].data(), kShortKey)) >> kShortFilterShift] = 1;
    } else {
      starts_[b] |= 4;
    }
    add(i);
  }
  short_first_[0] = base;
  std::uint32_t most_short = 0;
  for (std::size_t b = 1; b <= 256; ++b) {
    most_short = std::max(most_short, short_first_[b]);
    short_first_[b] += short_first_[b - 1];
  }
  most_per_position_ += most_short;
  static_assert(kPrefix == 6, "kPrefixMask keeps six bytes");
  bytes_.append(8, '\0');  // lets scan() compare a literal's tail in one 8-byte load
  for (unsigned b = 0x80; b < 0xC0; ++b) continuation_starts_ |= starts_[b] != 0;
  for (const auto& l : literals)
    ascii_starts_long_ |= l.size() >= kShortKey && static_cast<unsigned char>(l[0]) < 0x80;
  for (unsigned b = 0; b < 0x80; ++b) ascii_starts_short_ |= (starts_[b] & 4) != 0;
  leads_only_ = shorts.empty() && !continuation_starts_ && !ascii_starts_long_ && !ascii_starts_short_;
  // The short literals can be left to their first bytes when those of three
  // bytes or more start with at most two distinct non-ASCII bytes and the
  // shorter ones with ASCII bytes only (checked apart, see ascii_starts_long_).
#if defined(__SSE2__)
  std::uint32_t distinct = 0;
  split_short_ = !ascii_starts_long_;
  for (unsigned b = 0; b < 256; ++b) {
    if (!(starts_[b] & 2)) continue;
    if (b >= 0x80 && (starts_[b] & 4)) split_short_ = false;  // a one- or two-byte literal
    bool short3 = false;
    for (auto i : shorts) short3 |= static_cast<unsigned char>(literals[i][0]) == b && literals[i].size() >= kShortKey;
    if (!short3) continue;
    if (b < 0x80 || distinct == short3_starts_.size()) split_short_ = false;
    else short3_starts_[distinct++] = static_cast<std::uint8_t>(b);
  }
  if (distinct == 1) short3_starts_[1] = short3_starts_[0];
  // With none, both stay 0: NUL bytes get a short-filter look-up, harmless.
#endif
}

void lexicon_matcher::scan(std::string_view text, lexicon_scratch& scratch, std::vector<lexicon_match>& out) const {
  const auto found = scan(text, scratch);
  out.insert(out.end(), found.begin(), found.end());
}

std::span<lexicon_match> lexicon_matcher::scan(std::string_view text, lexicon_scratch& scratch) const {
  if (text.empty()) return {};
  // Matches go to found[0, count); room() makes sure `positions` more
  // positions fit before they are tried.
  auto& buffer = scratch.buffer_;
  lexicon_match* found = buffer.data();
  std::size_t count = 0;
  auto room = [&](std::size_t positions) {
    const std::size_t need = count + positions * most_per_position_;
    if (need <= buffer.size()) return;
    buffer.resize(std::max(need, 2 * buffer.size()));
    found = buffer.data();
  };
  const char* p = text.data();
  const std::size_t n = text.size();
  const char* bytes = bytes_.data();
  const std::size_t mask = slots_.size() - 1;
  // The literal is known to match its first `skip` bytes at i.
  auto try_literal = [&](const literal& l, std::size_t i, std::size_t skip) {
    const std::size_t rest = l.length - skip;
    if (l.length > n - i) return;
    bool same;
    if (rest == 0) {
      same = true;
    } else if (rest <= 8 && n - i - skip >= 8) {  // bytes_ is padded, the text has 8 bytes left
      std::uint64_t a, b;
      std::memcpy(&a, p + i + skip, 8);
      std::memcpy(&b, bytes + l.offset + skip, 8);
      same = ((a ^ b) & (~std::uint64_t{0} >> (64 - 8 * rest))) == 0;
    } else {
      same = std::memcmp(p + i + skip, bytes + l.offset + skip, rest) == 0;
    }
    found[count] = {l.id, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + l.length), l.tag};
    count += same;
  };
  // Every long literal at i, whose first kPrefix bytes are `key`. The bytes
  // after the key are compared from the literal's inline tail where the text
  // has them: two loads, no look-up of its bytes.
  auto long_literals = [&](std::size_t i, std::uint64_t key) __attribute__((always_inline)) {
    for (std::size_t k = hash(key) >> slot_shift_; slots_[k].count != 0; k = (k + 1) & mask) {
      const slot& sl = slots_[k];
      if (sl.key != key) continue;
      const literal* l = literals_.data() + sl.first;
      const literal* const e = l + sl.count;
      if (std::endian::native != std::endian::little || n - i < kPrefix + kTail) {
        for (; l != e; ++l) try_literal(*l, i, kPrefix);
        return;
      }
      std::uint64_t rest[2];
      std::memcpy(rest, p + i + kPrefix, kTail);
      for (; l != e; ++l) {
        const std::size_t more = l->length - kPrefix;
        const bool same = more <= kTail
                              ? (((rest[0] ^ l->tail[0]) & kTailMask[std::min<std::size_t>(more, 8)]) |
                                 ((rest[1] ^ l->tail[1]) & kTailMask[more - std::min<std::size_t>(more, 8)])) == 0
                              : l->length <= n - i &&
                                    std::memcmp(p + i + kPrefix, bytes + l->offset + kPrefix, more) == 0;
        found[count] = {l->id, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + l->length), l->tag};
        count += same;
      }
      return;
    }
  };
  auto at = [&](std::size_t i) {
    const std::uint8_t s = starts_[static_cast<unsigned char>(p[i])];
    if (s == 0) return;
    if ((s & 1) && n - i >= kPrefix) {
      // One 8-byte load where possible: a key assembled in memory from 4 + 2
      // bytes stalls store forwarding.
      constexpr bool little = std::endian::native == std::endian::little;
      const std::uint64_t key = little && n - i >= 8 ? prefix_key(p + i, 8) & kPrefixMask : prefix_key(p + i, kPrefix);
      const std::uint64_t h = hash(key);
      if (filter_[h >> filter_shift_] != 0) long_literals(i, key);
    }
    if (s & 2) {
      const auto b = static_cast<unsigned char>(p[i]);
      for (std::uint32_t j = short_first_[b]; j < short_first_[b + 1]; ++j) try_literal(literals_[j], i, 1);
    }
  };
  if constexpr (std::endian::native != std::endian::little) {
    for (std::size_t i = 0; i < n; ++i) {
      room(1);
      at(i);
    }
    return {found, count};
  }
  // 64 bytes at a time, in two passes without unpredictable branches per
  // byte: first the positions that may start a literal (not a UTF-8
  // continuation byte 10xxxxxx, unless some literal starts with one; key in
  // the filter, or a short literal's first byte), then those few in full.
  // ASCII bytes, when only one- or two-byte literals start with them, need
  // just the first-byte table. `src` holds the 64 bytes from `base` and 8
  // more (zero past the text).
  const std::uint8_t* filter = filter_.data();
  const std::uint8_t* short_filter = short_filter_.data();
  const std::uint64_t filter_shift = filter_shift_;
  auto chunk = [&](const char* src, std::size_t base, std::uint64_t visit_mask) {
    std::uint64_t visit = 0;
    std::uint64_t ascii = 0;
    std::uint64_t short3 = 0;  // with split_short_: bytes a short literal of three bytes or more starts with
#if defined(__SSE2__)
    const __m128i top2 = _mm_set1_epi8(static_cast<char>(0xC0));
    const __m128i continuation = _mm_set1_epi8(static_cast<char>(continuation_starts_ ? 0xFF : 0x80));
    const __m128i short_a = _mm_set1_epi8(static_cast<char>(short3_starts_[0]));
    const __m128i short_b = _mm_set1_epi8(static_cast<char>(short3_starts_[1]));
    if (leads_only_) {
      // Only lead bytes of multi-byte characters (11xxxxxx) can start a literal.
      for (std::size_t b = 0; b < 4; ++b) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 16 * b));
        visit |= std::uint64_t{static_cast<std::uint32_t>(
                     _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, top2), top2)))}
                 << (16 * b);
      }
    } else {
      for (std::size_t b = 0; b < 4; ++b) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 16 * b));
        const auto cont =
            static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, top2), continuation)));
        visit |= std::uint64_t{~cont & 0xFFFFu} << (16 * b);
        ascii |= std::uint64_t{~static_cast<std::uint32_t>(_mm_movemask_epi8(v)) & 0xFFFFu} << (16 * b);
        short3 |= std::uint64_t{static_cast<std::uint32_t>(
                      _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, short_a), _mm_cmpeq_epi8(v, short_b))))}
                  << (16 * b);
      }
    }
    if (ascii_starts_long_) ascii = 0;
    if (!split_short_) short3 = 0;
#else
    constexpr std::uint64_t kHigh = 0x8080808080808080ull;
    const std::uint64_t skip_continuation = continuation_starts_ ? 0 : kHigh;
    for (std::size_t b = 0; b < 8; ++b) {
      std::uint64_t w;
      std::memcpy(&w, src + 8 * b, 8);
      const std::uint64_t starts = ~(w & ~(w << 1) & skip_continuation) & kHigh;
      // The high bit of each byte gathered into eight bits, byte 0 lowest.
      visit |= (((starts >> 7) * 0x0102040810204080ull) >> 56) << (8 * b);
    }
#endif
    ascii &= visit_mask;
    visit &= visit_mask & ~ascii;
    if (!ascii_starts_short_) ascii = 0;  // then no literal starts at an ASCII byte left here
    short3 &= visit_mask;
    std::uint64_t hit = 0;  // positions for at()
    // With split_short_: the positions where a long literal may start, in
    // order. Each visited position is written and the count advanced by the
    // filter's byte: no shift by a variable amount per position.
    std::uint8_t long_pos[64];
    std::uint32_t longs = 0;
    if (split_short_) {
      // Long literals here; short ones below, at their few first bytes only.
      while (visit != 0) {
        const auto j = static_cast<std::uint32_t>(std::countr_zero(visit));
        visit &= visit - 1;
        std::uint64_t key;
        std::memcpy(&key, src + j, 8);
        long_pos[longs] = static_cast<std::uint8_t>(j);
        longs += filter[hash(key & kPrefixMask) >> filter_shift];
      }
      while (short3 != 0) {
        const auto j = static_cast<std::uint32_t>(std::countr_zero(short3));
        short3 &= short3 - 1;
        std::uint64_t key;
        std::memcpy(&key, src + j, 8);
        hit |= std::uint64_t{short_filter[hash(key & kShortMask) >> kShortFilterShift]} << j;
      }
    }
    while (visit != 0) {
      const auto j = static_cast<std::uint32_t>(std::countr_zero(visit));
      visit &= visit - 1;
      std::uint64_t key;
      std::memcpy(&key, src + j, 8);
      const std::uint64_t flag = filter[hash(key & kPrefixMask) >> filter_shift] |
                                 short_filter[hash(key & kShortMask) >> kShortFilterShift] |
                                 (starts_[static_cast<unsigned char>(src[j])] >> 2);
      hit |= flag << j;
    }
    while (ascii != 0) {
      const auto j = static_cast<std::uint32_t>(std::countr_zero(ascii));
      ascii &= ascii - 1;
      hit |= std::uint64_t{static_cast<std::uint8_t>(starts_[static_cast<unsigned char>(src[j])] >> 2)} << j;
    }
    room(64);  // a bound, not std::popcount: that is a library call without -mpopcnt
    auto long_at = [&](std::uint32_t j) __attribute__((always_inline)) {
      std::uint64_t key;
      std::memcpy(&key, src + j, 8);
      if (n - (base + j) >= kPrefix) long_literals(base + j, key & kPrefixMask);
    };
    if (hit == 0) {  // the usual case: a lexicon of words (no short literals) or none here
      for (std::uint32_t k = 0; k < longs; ++k) long_at(long_pos[k]);
      return;
    }
    // In text order: matches come out sorted by begin. A position a short
    // literal may start at too goes to at(), which checks both kinds.
    std::uint64_t hit_long = 0;
    for (std::uint32_t k = 0; k < longs; ++k) hit_long |= std::uint64_t{1} << long_pos[k];
    hit |= hit_long & short3;
    for (std::uint64_t all = hit | hit_long; all != 0; all &= all - 1) {
      const auto j = static_cast<std::uint32_t>(std::countr_zero(all));
      if ((hit >> j) & 1) at(base + j);
      else long_at(j);
    }
  };
  std::size_t i = 0;
  for (; n - i >= 64 + 8; i += 64) chunk(p + i, i, ~std::uint64_t{0});
  // The rest (under 72 bytes; whole titles) through a zero-padded copy.
  char tail[64 + 8 + 64 + 8] = {};
  std::memcpy(tail, p + i, n - i);
  for (std::size_t t = 0; i + t < n; t += 64) {
    const std::size_t left = n - i - t;
    chunk(tail + t, i + t, left >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << left) - 1);
  }
  return {found, count};
}

}  // namespace coopwatch::core::detail

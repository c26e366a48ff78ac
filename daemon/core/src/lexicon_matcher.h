#pragma once
// Many-literal matching in one pass over the classifier's lexicons: every
// occurrence of every literal, overlaps included. A lexicon_matcher is
// immutable after construction and shared by threads; a lexicon_scratch
// belongs to one thread (one per classifier object).
//
// The lexicons are thousands of short Chinese words (two- and three-character
// place names above all) and match densely, so a general automaton spends
// most of its time confirming candidates. Here a literal of at least
// kPrefix bytes is found through a hash table keyed by its first kPrefix
// bytes (two CJK characters), probed at each position that a small
// filter lets through, and confirmed against the next kTail bytes kept in
// the literal itself (Hyperscan, on the same literals and text, runs at
// three quarters of this scan's speed: tests/bench/classify_bench.cc). Any
// shorter literals are kept per first byte. Plain bytes in, so any input,
// valid UTF-8 or not, is fine.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coopwatch::core::detail {

struct lexicon_match {
  std::uint32_t id = 0;     // index of the literal given to the matcher
  std::uint32_t begin = 0;  // byte offsets, half-open
  std::uint32_t end = 0;
  std::uint32_t tag = 0;    // the literal's tag given to the matcher
};

// Per-thread state of a scan: where matches are written before they are
// appended to the caller's vector. Writing every candidate and advancing by
// whether it matched costs no mispredicted branch per candidate, but needs
// room ahead that a std::vector's end cannot give.
class lexicon_scratch {
  friend class lexicon_matcher;
  std::vector<lexicon_match> buffer_;  // its size is the room; grows, never shrinks
};

class lexicon_matcher {
 public:
  // Takes the literals (non-empty, byte strings) and, optionally, a tag for
  // each that its matches carry: what a caller needs of a literal on every
  // match, without a look-up in a table of its own (a cache miss per match
  // in a dense lexicon). Throws std::runtime_error.
  explicit lexicon_matcher(const std::vector<std::string>& literals, const std::vector<std::uint32_t>& tags = {});

  [[nodiscard]] lexicon_scratch make_scratch() const { return {}; }

  // Every occurrence of every literal in `text`, sorted by begin, longer
  // first at equal begin, in the scratch's buffer: valid until its next
  // scan (no copy: a dense lexicon makes thousands of matches per item).
  // Never throws on any input (but std::bad_alloc).
  [[nodiscard]] std::span<lexicon_match> scan(std::string_view text, lexicon_scratch& scratch) const;
  // The same, appended to `out`.
  void scan(std::string_view text, lexicon_scratch& scratch, std::vector<lexicon_match>& out) const;

  // Removes matches lying inside a longer match (东西部扶贫协作 hides 扶贫协作);
  // `matches` must be sorted as scan() leaves them. The second form also
  // calls visit(match) on each match kept, in order, in the same pass.
  static void keep_outermost(std::vector<lexicon_match>& matches) {
    matches.resize(keep_outermost(std::span<lexicon_match>(matches), [](const lexicon_match&) {}));
  }
  // The same on a span: the kept matches move to its front; returns their number.
  template <typename Visit>
  static std::size_t keep_outermost(std::span<lexicon_match> matches, Visit&& visit) {
    // Compacted first, without a branch per match (whether one lies inside
    // another is no pattern a predictor learns); then visited. Every match
    // ends past 0, so the first is kept.
    std::uint32_t max_end = 0;
    auto out = matches.begin();
    for (const auto& m : matches) {
      const bool kept = m.end > max_end;  // else inside an earlier, longer match
      max_end = kept ? m.end : max_end;
      *out = m;
      out += kept;
    }
    const auto kept = static_cast<std::size_t>(out - matches.begin());
    for (const auto& m : matches.first(kept)) visit(m);
    return kept;
  }

 private:
  static constexpr std::size_t kPrefix = 6;  // bytes of the hash key: two CJK characters
  static constexpr std::size_t kTail = 16;   // bytes after the key kept in each literal

  struct literal {
    std::uint32_t id;
    std::uint32_t length;
    std::uint32_t offset;  // into bytes_
    std::uint32_t tag;
    std::uint64_t tail[2];  // its bytes kPrefix .. kPrefix + kTail, zero past its end
  };
  // Literals sharing one kPrefix-byte key: literals_[first, first + count).
  struct slot {
    std::uint64_t key = 0;
    std::uint32_t first = 0;
    std::uint32_t count = 0;  // 0: empty slot
  };

  [[nodiscard]] static std::uint64_t hash(std::uint64_t key) noexcept {
    return key * 0x9E3779B97F4A7C15ull;
  }

  std::string bytes_;                 // all literal texts, back to back
  std::vector<literal> literals_;     // grouped by key (or first byte), longest first
  std::vector<slot> slots_;           // open addressing, power-of-two size
  std::uint32_t slot_shift_ = 64;     // hash >> slot_shift_ = home slot
  std::uint32_t most_per_position_ = 0;  // the most literals tried at one position
  // 1 at hash >> filter_shift_ when the first kPrefix bytes of some long
  // literal may hash there. Bytes, not bits: no variable shift in the hot loop.
  std::vector<std::uint8_t> filter_;
  // The same for the first three bytes of the short literals (a table of
  // their own: the long keys would make it let a twentieth of all through).
  static constexpr std::uint32_t kShortFilterShift = 64 - 12;
  std::vector<std::uint8_t> short_filter_;
  std::uint32_t filter_shift_ = 64;
  // Literals shorter than kPrefix, by first byte: literals_[short_first_[b], short_first_[b+1]).
  std::vector<std::uint32_t> short_first_;
  // Bit 0: a long literal starts with this byte; bit 1: a short one does;
  // bit 2: a short one under three bytes (not in the filter) does.
  std::uint8_t starts_[256] = {};
  bool continuation_starts_ = false;  // some literal starts with a UTF-8 continuation byte
  bool ascii_starts_long_ = false;    // some literal of three bytes or more starts with an ASCII byte
  bool ascii_starts_short_ = false;   // some literal of one or two bytes does
  // No short literal, none starting with ASCII or a continuation byte: the
  // scan visits the lead bytes of multi-byte characters only (a CJK lexicon).
  bool leads_only_ = false;
  // scan() checks the short filter only at short3_starts_ bytes (see the constructor).
  bool split_short_ = false;
  std::array<std::uint8_t, 2> short3_starts_ = {};
};

}  // namespace coopwatch::core::detail

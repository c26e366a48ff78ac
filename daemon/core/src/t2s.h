#pragma once
// Traditional -> Simplified conversion that reproduces OpenCC's t2s.json
// (maximum forward matching over its phrase list, then one character at a
// time, first candidate) from the tables scripts/gen-t2s generated out of
// OpenCC's dictionaries. A lookup is one two-level table read; only the few
// hundred characters that begin a phrase trigger a phrase comparison.
// Immutable after load; shared by all threads.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "normalize_cp_map.h"
#include "prefix_filter.h"

namespace coopwatch::core::detail {

class t2s_table {
 public:
  // Parses "normalize/t2s_chars.tsv" and "normalize/t2s_phrases.tsv" (lines
  // "from<TAB>to", '#' comments). Throws std::runtime_error("file:line: ...").
  void load(std::string_view chars_tsv, std::string_view phrases_tsv);

  // The Simplified form of cp (cp itself if it has none).
  [[nodiscard]] char32_t map(char32_t cp) const noexcept {
    const std::uint32_t v = table_.get(cp) & cp_mask;
    return v ? char32_t(v) : cp;
  }
  [[nodiscard]] bool maps(char32_t cp) const noexcept { return (table_.get(cp) & cp_mask) != 0; }

  [[nodiscard]] bool starts_phrase(char32_t cp) const noexcept {
    return (table_.get(cp) >> group_shift) != 0;
  }

  // Converts valid UTF-8 text on its own (no origins): for tests that compare
  // with OpenCC and for benchmarks. The normaliser uses map()/match_phrase().
  void convert(std::string_view in, std::string& out) const;

  struct phrase {
    std::string from;  // UTF-8
    std::string to;    // UTF-8
  };
  // Bytes match_phrase(first, ...) may read: the longest phrase opening with first (0: none).
  [[nodiscard]] std::size_t phrase_reach(char32_t first) const noexcept {
    const std::uint32_t group = table_.get(first) >> group_shift;
    return group == 0 ? 0 : groups_[group - 1].front().from.size();
  }
  // The longest phrase that `text` starts with, or nullptr. `first` is the
  // code point at the start of text (already decoded by the caller).
  [[nodiscard]] const phrase* match_phrase(char32_t first, std::string_view text) const noexcept {
    const std::uint32_t group = table_.get(first) >> group_shift;
    if (group == 0 || !may_open_phrase(text)) return nullptr;
    for (const phrase& p : groups_[group - 1])  // longest first
      if (text.substr(0, p.from.size()) == p.from) return &p;
    return nullptr;
  }

  // False when no phrase can start with text's first two characters.
  [[nodiscard]] bool may_open_phrase(std::string_view text) const noexcept {
    return !pair_filter_usable_ || pair_filter_.may_start(text);
  }
  // Calls f(phrase) for every phrase of the list.
  template <typename F>
  void for_each_phrase(F&& f) const {
    for (const auto& group : groups_)
      for (const phrase& p : group) f(p);
  }
  // Bytes may_open_phrase reads.
  static constexpr std::size_t phrase_test_bytes = prefix_filter::prefix_bytes;
  // The same where eight bytes can be read at p.
  [[nodiscard]] bool may_open_phrase_wide(const char* p) const noexcept {
    return !pair_filter_usable_ || pair_filter_.may_start_wide(p);
  }

 private:
  static constexpr std::uint32_t cp_mask = 0x1FFFFF;
  prefix_filter pair_filter_;
  bool pair_filter_usable_ = true;  // every phrase is long enough for the filter
  static constexpr int group_shift = 21;
  cp_map table_;  // low 21 bits: Simplified code point or 0; high 11: phrase group + 1
  std::vector<std::vector<phrase>> groups_;
};

}  // namespace coopwatch::core::detail

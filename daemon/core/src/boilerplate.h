#pragma once
// Pass 4 of the normaliser: lines. Trims and collapses spaces, drops empty
// lines, and for bodies drops page chrome and spam with general signals:
// navigation lines (many separators, short segments), keyword-stuffed SEO
// lines, known chrome and footer phrases in short lines, lists of headlines
// (after a "related news" header, or headlines with timestamps), image file
// names and forum controls. Spam words injected into sentences as their own
// space-delimited token are cut out of both titles and bodies.

#include <string>
#include <string_view>
#include <vector>

#include "coopwatch/core/normalize.h"
#include "normalize_buffer.h"
#include "normalize_cp_map.h"
#include "prefix_filter.h"

namespace coopwatch::core::detail {

// The spaces of the line pass: it splits tokens at them, trims them and
// writes one ' ' for a run. (The relevance gate reads text as this pass
// will.)
constexpr bool is_line_space(unsigned char c) noexcept { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

// A set of phrases found in one walk over a line: phrases are grouped by
// their first code point, so a line costs one table lookup per character.
class phrase_set {
 public:
  void add(std::string_view phrase);
  [[nodiscard]] bool empty() const noexcept { return groups_.empty(); }
  // Byte offset of the first occurrence of any phrase in s, or npos. s is
  // valid UTF-8 (the normaliser's buffers always are).
  [[nodiscard]] std::size_t find(std::string_view s) const noexcept;
  [[nodiscard]] bool starts(std::string_view s) const noexcept;
  [[nodiscard]] bool contains_exactly(std::string_view s) const noexcept;

 private:
  [[nodiscard]] bool match_at(std::string_view s, std::size_t i, char32_t first) const noexcept;
  cp_map first_;  // first code point -> group index + 1
  cp_bitset first_bits_;
  prefix_filter prefixes_;    // of the phrases of prefix_filter::prefix_bytes or more
  cp_bitset short_first_;     // first code points of the shorter ones
  bool short_three_byte_ = false;  // a shorter one starts with a three-byte character
  std::vector<std::vector<std::string>> groups_;
};

struct boilerplate_lexicon {
  phrase_set line_words;  // [line]
  phrase_set chrome;      // [chrome]
  phrase_set related;     // [related]
  phrase_set spam;        // spam.txt

  // Parses "normalize/boilerplate.txt" and "normalize/spam.txt".
  void load(std::string_view boilerplate_txt, std::string_view spam_txt);
};

// What the line pass looks at in a line of valid UTF-8.
struct line_features {
  std::size_t chars = 0;       // code points
  std::size_t separators = 0;  // | > / › » _
  std::size_t underscores = 0;
  std::size_t digits = 0;
  std::size_t longest_segment = 0;  // longest run between separators, in chars
  bool full_stop = false;      // has 。
  std::size_t commas = 0;      // ',' (NFKC folded the full-width ones)
  bool timestamp = false;      // YYYY-MM-DD HH:MM or YYYY-M-D
  bool comment_count = false;  // "评论 123"
};

// The features, 16 bytes at a time where the line allows.
line_features features(std::string_view line);
// The same, one character at a time: the reference, and the way for lines
// with separators.
line_features features_by_char(std::string_view line);

// Scratch state reused across records.
struct line_info {
  std::size_t begin;  // trimmed, byte offsets into the input buffer
  std::size_t end;
  bool keep;
};

// Writes the kept lines straight into the result's text and origins (appended;
// the caller cleared them), so the last pass's output is never copied again.
void filter_lines(const text_buffer& in, const boilerplate_lexicon& lex, bool is_title,
                  bool remove_chrome, std::vector<line_info>& lines, std::string& out_text,
                  std::vector<std::uint32_t>& out_origin, normalize_stats& stats);

// A scraped page often carries navigation, a ticker of other headlines or a
// newspaper's page header above the article, which then opens with its own
// title on a line of its own. When one of the body's first lines is the
// (normalised) title, the lines above it are cut (counted as boilerplate).
void drop_lines_before_title(const normalized_text& title, normalized_text& body);

}  // namespace coopwatch::core::detail

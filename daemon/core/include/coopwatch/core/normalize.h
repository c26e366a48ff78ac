#pragma once
// Scraped Chinese news text -> clean canonical text that later stages read.
// Steps: HTML (tags, entities, script/style) out, NFKC, Traditional ->
// Simplified, pinyin glosses out, mojibake repaired or marked, boilerplate and
// spam removed. Every output byte keeps the byte offset of the input byte it
// came from, so events can point into the original field.
//
// normalizer_data is immutable and shared; a normalizer object is per thread
// (it owns scratch buffers). Never throws on any input.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coopwatch/core/item.h"
#include "coopwatch/core/resources.h"

namespace coopwatch::core {

struct text_range {
  std::uint32_t begin = 0;  // byte offsets into normalized_text::text, half-open
  std::uint32_t end = 0;
};

struct normalize_stats {
  std::uint32_t invalid_utf8 = 0;         // ill-formed sequences replaced with U+FFFD
  std::uint32_t html_tags = 0;            // tags removed
  std::uint32_t html_entities = 0;        // entities decoded
  std::uint32_t traditional_chars = 0;    // characters converted to Simplified
  std::uint32_t pinyin_glosses = 0;       // "(zhàn)" glosses removed
  std::uint32_t mojibake_repaired = 0;    // spans repaired losslessly
  std::uint32_t mojibake_marked = 0;      // spans left as they are but marked unreliable
  std::uint32_t boilerplate_lines = 0;    // chrome lines dropped
  std::uint32_t spam_removed = 0;         // spam phrases or lines dropped
};

struct normalized_text {
  std::string text;                     // canonical UTF-8, lines separated by '\n'
  std::vector<std::uint32_t> origin;    // origin[i]: byte offset in the input of text[i]; size text.size()+1
  std::vector<text_range> unreliable;   // mojibake spans left unrepaired: extract no figure here
  normalize_stats stats;

  void clear() {
    text.clear();
    origin.clear();
    unreliable.clear();
    stats = {};
  }
  // True if [begin, end) overlaps an unreliable span.
  [[nodiscard]] bool is_unreliable(std::uint32_t begin, std::uint32_t end) const noexcept;
};

// Parses the normaliser's data files; throws std::runtime_error on bad data.
[[nodiscard]] std::shared_ptr<const normalizer_data> load_normalizer_data(const data_files& files);

class normalizer {
 public:
  explicit normalizer(std::shared_ptr<const normalizer_data> data);
  ~normalizer();
  normalizer(normalizer&&) noexcept;
  normalizer& operator=(normalizer&&) noexcept;

  // Normalises `in` into `out` (cleared first). `in` may be any bytes.
  // Titles are one line of their own: no boilerplate removal is applied to them.
  void normalize(std::string_view in, text_field field, normalized_text& out);

  // The steps normalize() runs, for benchmarks and tests that look at one
  // step alone; normalize() is normalize_steps(..., step::all).
  struct step {
    static constexpr unsigned markup = 1;     // HTML tags, entities, script/style
    static constexpr unsigned mojibake = 2;   // repair or mark misdecoded text
    static constexpr unsigned nfkc = 4;       // compatibility forms (full-width ...)
    static constexpr unsigned t2s = 8;        // Traditional -> Simplified
    static constexpr unsigned glosses = 16;   // pinyin glosses, doubled punctuation
    static constexpr unsigned lines = 32;     // chrome, spam, whitespace
    static constexpr unsigned all = 63;
  };
  void normalize_steps(std::string_view in, text_field field, normalized_text& out,
                       unsigned steps);

  // normalize() in two parts, for a look at the text in between: the first
  // pass (markup, UTF-8, line ends) returns its text, valid until the next
  // call; finish_passes() with the same `in`, `out` and no call in between
  // runs the others (script, lines) and gives what normalize() gives.
  std::string_view markup_pass(std::string_view in, normalized_text& out);
  void finish_passes(std::string_view in, text_field field, normalized_text& out);
  // Whether a mojibake run opens at byte `offset` of the last markup_pass()
  // text, as the script pass tests where a character may open one.
  [[nodiscard]] bool mojibake_opens_at(std::size_t offset) const;

 private:
  void first_pass(std::string_view in, normalized_text& out, unsigned steps);
  void other_passes(std::string_view in, text_field field, normalized_text& out, unsigned steps);

  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace coopwatch::core

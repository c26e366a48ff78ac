#pragma once
// Pairing detection: which (east, west) province pairs of the programme an
// item names, and how strongly. Evidence, strongest first:
//   word            an abbreviated pair word (沪滇, 闽宁, 沪遵)
//   official_units  a helping and a helped unit of an official sub-province
//                   pairing in one sentence (济南 ... 湘西州)
//   sentence_context  an eastern and a western unit of an official province
//                   pair in one sentence with a cooperation word
//                   ("上海市代表团 ... 赴云南", "深圳对口帮扶百色")
//   sentence        the same without a cooperation word
//   document        both named somewhere in the item
// Inside a sentence, each western unit pairs with the nearest group of
// eastern units before it ("天津市以及山东省青岛市、福建省福州市 ... 向甘肃"),
// or after it when none precedes; this keeps enumerations of the national
// pairing list from crossing pairs. Also flags look-alike pairings: a
// helping city with another unit of its own province (广州 -> 清远) and a
// helping province with a non-programme partner (北京 -> 玉树).
// Stateless functions over per-call buffers owned by the classifier.

#include <cstdint>
#include <string_view>
#include <vector>

#include "coopwatch/core/classify.h"
#include "gazetteer.h"

namespace coopwatch::core::detail {

// Sentence ids: title sentences count from 0, body sentences from body_sentence_base.
inline constexpr std::uint32_t body_sentence_base = 1u << 24;

struct place_mention {
  std::uint32_t unit = no_unit;
  text_field field = text_field::body;
  std::uint32_t sentence = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

struct pair_word_mention {
  std::uint32_t word = 0;  // index into gazetteer::pair_words()
  text_field field = text_field::body;
  std::uint32_t sentence = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

enum class pair_evidence : std::uint8_t { none, document, sentence, sentence_context, official_units, word };

[[nodiscard]] const char* pair_evidence_name(pair_evidence e) noexcept;

struct pair_candidate {
  region_pair pair;
  std::uint32_t east_province = 0;
  std::uint32_t west_province = 0;
  std::uint32_t east_unit = no_unit;  // finest units seen
  std::uint32_t west_unit = no_unit;
  pair_evidence evidence = pair_evidence::none;
  bool in_title = false;  // some sentence-level or word evidence is in the title
};

struct pair_flags {
  bool intra_province = false;      // a helping city with a unit of its own province
  bool non_programme = false;       // a helping province with a non-programme partner
  bool roll = false;                // a roll of members (北京、天津、上海…和内蒙古、广西…) was read as none
  const place_mention* intra_at = nullptr;
  const place_mention* non_programme_at = nullptr;
};

// Reused buffers of find_pairs (one per classifier).
struct pair_scratch {
  std::vector<int> group;
  std::vector<std::uint32_t> east_first, west_first;  // first mention of each distinct unit
  std::vector<std::uint8_t> side;                      // per place: its province helps / is helped
  // Per gazetteer unit: the call that last listed it in east_first or
  // west_first (a stamp, so nothing is cleared per call).
  std::vector<std::uint32_t> unit_mark;
  std::uint32_t mark = 0;
};

// `title`, `body`: the texts the mentions point into. `places` sorted by (field, begin); `context_sentences` sorted sentence ids
// holding a cooperation word or programme term. Clears and fills `out`,
// ordered by first mention.
void find_pairs(const gazetteer& gaz, std::string_view title, std::string_view body,
                const std::vector<place_mention>& places,
                const std::vector<pair_word_mention>& words,
                const std::vector<std::uint32_t>& context_sentences, std::vector<pair_candidate>& out,
                pair_flags& flags, pair_scratch& scratch);

}  // namespace coopwatch::core::detail

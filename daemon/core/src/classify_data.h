#pragma once
// The classifier's immutable data: one literal lexicon (programme terms,
// negative look-alikes, context words, topic terms, place aliases and pair
// words merged by literal, so one Hyperscan pass finds them all), the
// gazetteer, and the rule weights. Built by load_classifier_data(), shared
// read-only by all classifier objects.

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include "coopwatch/core/classify.h"
#include "gazetteer.h"
#include "lexicon_matcher.h"

namespace coopwatch::core {
namespace detail {

enum class cue_kind : std::uint8_t { none, programme, negative, context, block, review };

[[nodiscard]] constexpr const char* cue_kind_name(cue_kind k) noexcept {
  switch (k) {
    case cue_kind::programme: return "programme_term";
    case cue_kind::negative: return "negative";
    case cue_kind::context: return "context";
    case cue_kind::block: return "block";
    case cue_kind::review: return "review";
    case cue_kind::none: break;
  }
  return "none";
}

// One literal and every role it plays.
struct lexicon_entry {
  std::string text;
  cue_kind kind = cue_kind::none;
  double weight = 0;
  bool cooperation = false;  // marks its sentence as one with a cooperation word
  std::int32_t topic = -1;  // index into classifier_data::topic_names
  double topic_weight = 0;
  std::uint32_t pair_word = no_unit;  // index into gazetteer::pair_words()
  std::uint32_t alias = no_unit;      // index into gazetteer::aliases()
};

// What the classifier's loops over the matches read of an entry, packed: 12
// bytes, where a lexicon_entry with its text is 80, so the thousands of
// entries' roles stay in cache.
struct entry_roles {
  cue_kind kind = cue_kind::none;
  bool cooperation = false;
  bool assistance = false;  // a context word of positive weight: counts as a programme term
  bool topic = false;
  std::uint32_t pair_word = no_unit;
  std::uint32_t alias = no_unit;
};
static_assert(sizeof(entry_roles) == 12);

// What the classifier's first pass needs of an entry, carried by each of its
// lexicon matches (lexicon_matcher tags): a bit for a word of assistance, a
// bit for a pair word, a bit for an entry the pass scores or counts (a
// programme, negative or review cue, a topic term: read from entry_roles),
// and above them the provinces a place name can mean: 0 none, p + 1 the one
// province p, tag_provinces_looked_up several (or one past the code's
// range): read from the alias's province mask.
inline constexpr std::uint32_t tag_assistance = 1;
inline constexpr std::uint32_t tag_pair_word = 2;
inline constexpr std::uint32_t tag_scored = 4;
inline constexpr std::uint32_t tag_province_shift = 3;
inline constexpr std::uint32_t tag_provinces_looked_up = 63;
// `provinces`: the mask of the entry's alias (a bit per province; 0 without one).
inline std::uint32_t first_pass_tag(const entry_roles& r, std::uint64_t provinces) {
  const bool scored =
      r.topic || r.kind == cue_kind::programme || r.kind == cue_kind::negative || r.kind == cue_kind::review;
  std::uint32_t code = 0;
  if (r.alias != no_unit)
    code = std::popcount(provinces) == 1 && static_cast<std::uint32_t>(std::countr_zero(provinces)) + 1 < tag_provinces_looked_up
               ? static_cast<std::uint32_t>(std::countr_zero(provinces)) + 1
               : tag_provinces_looked_up;
  return (r.assistance ? tag_assistance : 0) | (r.pair_word != no_unit ? tag_pair_word : 0) |
         (scored ? tag_scored : 0) | code << tag_province_shift;
}
// The provinces a match's place name can mean, from its tag.
template <typename LookUp>
std::uint64_t tagged_provinces(std::uint32_t tag, LookUp&& look_up) {
  const std::uint32_t code = tag >> tag_province_shift;
  if (code == 0) return 0;
  return code == tag_provinces_looked_up ? look_up() : std::uint64_t{1} << (code - 1);
}

// See classify/weights.tsv for what each one means.
struct classify_weights {
  double threshold = 3;
  double repeat_factor = 0.25;
  double max_hits = 4;
  double title_factor = 1.5;
  double pair_word = 2.5;
  double pair_official_units = 2.5;
  double pair_sentence_context = 2;
  double pair_sentence = 1;
  double pair_document = 0.5;
  double pair_cap = 4;
  double pair_without_programme = 0;  // pair evidence with no programme or cooperation word
  double intra_province_pair = -2;
  double intra_province_title = -6;  // more when the title states it: the item is about it
  double look_alike_title = -4;      // a look-alike named in the title, the programme not
  double mixed_review_floor = -3;    // the most a review of several programmes loses to the others
  double mixed_review_sentences = 3;  // its body sentences on the programme, at least
  double non_programme_pair = -1.5;
  double passing_mention = -2;
  double passing_max_hits = 1;
  double passing_bytes_per_hit = 3000;
  double topic_min = 1;
};

// The highest score an item can reach once its lexicon cues sum to
// cue_score: what pairs could add and the rules that only subtract as
// shipped. programme_term: a programme term or word of assistance matched;
// pairable: a pair word, or places the programme pairs (classify.cc).
double best_final_score(double cue_score, bool programme_term, bool pairable, const classify_weights& w);

// The factor of a lexicon cue's `hit`-th hit (1-based; the title's hits come
// first): 1, then repeat_factor up to max_hits, then 0; times title_factor
// in the title.
inline double hit_factor(std::uint32_t hit, text_field field, const classify_weights& w) noexcept {
  const double factor = hit == 1 ? 1.0 : hit <= w.max_hits ? w.repeat_factor : 0.0;
  return field == text_field::title ? factor * w.title_factor : factor;
}

// Whether the provinces in `named` (a bit each) hold an eastern province and
// a western one the programme pairs with it; partners(p) gives province p's
// western partners.
template <typename Partners>
bool names_official_pair(std::uint64_t named, Partners&& partners) {
  for (std::uint64_t east = named; east != 0; east &= east - 1)
    if ((partners(static_cast<std::uint32_t>(std::countr_zero(east))) & named) != 0) return true;
  return false;
}

}  // namespace detail

struct classifier_data {
  detail::gazetteer gaz;
  std::vector<detail::lexicon_entry> entries;  // index = matcher literal id
  std::vector<detail::entry_roles> roles;      // entries' roles, same index
  std::vector<std::uint64_t> alias_provinces;  // per gazetteer alias: its readings' provinces, a bit each
  std::vector<std::string> topic_names;
  detail::classify_weights weights;
  detail::lexicon_matcher matcher;
};

}  // namespace coopwatch::core

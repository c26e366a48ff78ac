#pragma once
// The relevance gate: a look at an item after the normaliser's first pass
// (markup, UTF-8, line ends) that finds, for many irrelevant items, that the
// classifier's early verdict is certain to rule them out, so that the
// daemon's verdict mode skips the script pass, the line pass and the
// classifier for them (on the benchmark mix about half the items, saving
// about 10 % of the core; tests/bench/README.md).
//
// The early verdict (classify.cc) sums the lexicon cues and adds the most
// pairs could bring: an item falls short when that bound stays under the
// threshold. The gate computes the same bound from at least the matches the
// classifier will see, so its bound is never lower:
//   - a word of the lexicon counts where its first two characters may stand
//     next to each other in the normalised text and the characters after
//     them may be the rest of it (any doubt counts as a match);
//   - programme terms score as the classifier scores them (title first, the
//     repeat factor, max_hits), which only grows with more hits; negative
//     cues are left out, and so is the rule that drops words inside longer
//     ones;
//   - a word of assistance makes a programme term, a pair word makes the
//     item pairable, a place name names every province it may mean.
// The reading stops as soon as the bound reaches the threshold.
// What the later passes do to the text, and how the gate reads through it:
//   - each character becomes what the script pass may write for it (NFKC,
//     Traditional -> Simplified by character or inside any phrase of the
//     list): characters are folded into classes closed under these maps;
//   - NFKC expansions are read as the characters they expand to;
//   - pinyin glosses ("戰(zhàn)") are passed over, as the script pass may;
//   - the line pass cuts out space-separated tokens holding a spam phrase and
//     joins what was around them: after such tokens, the next token's first
//     character is also read as following the last kept token's last one;
//   - where the script pass repairs mojibake (a run the normaliser's own
//     test finds, or '?' after other than ASCII) or composes combining
//     marks, the gate does not judge: the item goes the full way.
// Punctuation collapsing and space trimming never join two characters.
// The gate is off when the data break an assumption above (weights under
// which more hits could lower the bound, a watched word that does not open
// with two ideographs, a map out of the folded planes).
// Immutable; shared by threads. A tally holds one item's reading.

#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "classify_data.h"
#include "coopwatch/core/normalize.h"
#include "coopwatch/core/resources.h"

namespace coopwatch::core {

// One item's reading by the gate: reused across items by one thread.
class relevance_gate_tally {
  friend class relevance_gate;
  std::vector<std::uint32_t> hits;  // per programme term: title hits << 16 | body hits
  std::vector<std::uint32_t> seen;  // the programme terms hit, each once
  bool programme_term = false;
  bool pair_word = false;
  bool pairable = false;
  bool undecided = false;  // something the gate does not judge was met, or the bound reached the threshold
  std::uint64_t named = 0;
  double score = 0;  // the programme terms' score so far, an upper bound of the classifier's
};

class relevance_gate {
 public:
  relevance_gate(const normalizer_data& normalize, const classifier_data& classify, const data_files& files);

  // False when the data break an assumption of the gate (see above); then
  // no item is ruled out.
  [[nodiscard]] bool enabled() const noexcept { return enabled_; }

  using tally = relevance_gate_tally;
  [[nodiscard]] std::unique_ptr<tally> make_tally() const;
  void reset(tally& t) const noexcept;

  // Reads one field's first-pass text into the tally. False once the item
  // can no longer be ruled out (the rest need not be read).
  // `text` is the last markup_pass() of `n`, which tells where mojibake opens.
  bool read(const normalizer& n, std::string_view text, text_field field, tally& t) const noexcept;
  // After both fields: false when the early verdict is certain to rule the
  // item out.
  [[nodiscard]] bool may_be_relevant(const tally& t) const noexcept;

 private:
  // Class ids of BMP characters; four values are not classes.
  static constexpr std::uint16_t kJudgeNot = 0xFFFF;  // the script pass may rewrite around it
  static constexpr std::uint16_t kExpands = 0xFFFE;   // an NFKC expansion: see expansions_
  static constexpr std::uint16_t kOther = 0xFFFD;     // a class no watched word opens with
  static constexpr std::uint16_t kMojibake = 0xFFFC;  // may open mojibake: see mojibake_class_

  // A watched word: what it brings, and the classes of its characters after
  // the first two.
  struct word {
    std::uint32_t tail = 0;  // tails_[tail, tail + tail_length)
    std::uint32_t tail_length = 0;
    std::int32_t term = -1;  // a programme term: its index in terms_
    bool assistance = false;  // a word of assistance (or a programme term)
    bool pair_word = false;
    bool spam = false;        // a spam phrase: the line pass may cut its token out
    std::uint64_t provinces = 0;  // of a place name
  };
  // The words opening with one pair of classes: words_[first, first + count).
  struct opening {
    std::uint32_t pair = 0;  // first class << 16 | second class; 0: empty slot
    std::uint32_t first = 0;
    std::uint32_t count = 0;
  };

  [[nodiscard]] std::uint16_t class_of(char32_t cp) const noexcept;
  [[nodiscard]] const opening* find(std::uint16_t first, std::uint16_t second) const noexcept;
  [[nodiscard]] const opening* find(std::uint32_t pair) const noexcept;  // past the filter
  // Whether text from byte `pos` on may continue a word whose remaining
  // characters have classes tail[0, length): false only when it cannot.
  bool tail_may_follow(std::string_view text, std::size_t pos, const std::uint16_t* tail,
                       std::size_t length) const noexcept;
  // Counts the words of an opening met in `field` that the text may hold
  // (from byte `pos` on; npos: any); a spam phrase marks the token.
  void count(const opening& o, std::string_view text, std::size_t pos, text_field field, tally& t,
             bool& token_spam) const noexcept;

  bool enabled_ = false;
  std::vector<std::uint16_t> bmp_;                              // class per BMP code point
  std::unordered_map<char32_t, std::uint16_t> supplementary_;   // beyond the BMP, where in a class
  std::unordered_map<char32_t, std::u32string> expansions_;     // NFKC expansions of several characters
  std::unordered_map<char32_t, std::uint16_t> mojibake_class_;  // classes of the characters that may open mojibake
  std::uint16_t space_ = 0;                                     // the class of the line pass's spaces
  std::vector<std::uint64_t> pair_bits_;                        // filter of the openings' pairs
  std::vector<opening> openings_;                               // open addressing by pair
  std::vector<word> words_;
  std::vector<std::uint16_t> tails_;
  std::vector<double> terms_;                                   // programme terms' weights
  std::vector<std::uint64_t> partners_;                         // per eastern province: western partners
  detail::classify_weights weights_;
};

}  // namespace coopwatch::core

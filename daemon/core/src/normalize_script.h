#pragma once
// Pass 3 of the normaliser, one walk over the text: NFKC (table fast path),
// Traditional -> Simplified, pinyin glosses out, doubled punctuation ("，，",
// "，。") reduced to the stronger mark, tabs to spaces. A combined table says
// which characters need any of that; runs of the others are copied in bulk.

#include <vector>

#include "coopwatch/core/normalize.h"
#include "normalize_buffer.h"
#include "normalize_cp_map.h"
#include "mojibake.h"
#include "normalize_nfkc.h"
#include "t2s.h"

namespace coopwatch::core::detail {

struct script_options {
  bool nfkc = true;
  bool t2s = true;
  bool glosses = true;
  bool punctuation = true;
};

class script_tables {
 public:
  // Keeps references to nfkc and t2s, which must outlive this object.
  void build(const nfkc_table& nfkc, const t2s_table& t2s, const mojibake_tables& mojibake);

  const nfkc_table* nfkc = nullptr;
  const t2s_table* t2s = nullptr;
  const mojibake_tables* mojibake = nullptr;
  cp_bitset attention;        // set: the character is not always copied as it is
  cp_bitset mojibake_starts;  // characters that may open a mojibake run
  // Fast path for the CJK Unified Ideographs block, which NFKC leaves alone:
  // the Simplified form (0 = unchanged), unless the character opens a phrase.
  static constexpr char32_t uro_begin = 0x4E00, uro_end = 0xA000;
  std::vector<char16_t> uro_simplified;
  cp_bitset phrase_starts;
  // Characters that need attention only because they may open a phrase and
  // are left as they are otherwise (上, 一, 大 … in Simplified text): the
  // bulk copy passes over them when the two-character test rules a phrase out.
  cp_bitset phrase_only;
  // For every three-byte character that needs attention only because it may
  // open a phrase: its output when no phrase starts there (itself, or its
  // one-to-one Simplified form); 0 for the others.
  std::vector<char16_t> phrase_free;
  // Every three-byte character (U+0800..U+FFFF) that needs at most a
  // one-to-one Simplified substitution to another three-byte character and
  // nothing else: its output (itself when unchanged); 0 for the others. Runs
  // of these are converted in one tight loop, without a branch per character
  // on whether it changes: Traditional text alternates the two at random.
  static constexpr char32_t three_byte_end = 0x10000;
  std::vector<char16_t> simple_three_byte;
  // The other three-byte characters whose whole conversion (NFKC, then
  // Traditional -> Simplified) is one character that depends on nothing
  // around it (full-width punctuation above all): that character, with
  // single_changes_script set if the Simplified step changed it; 0 otherwise.
  static constexpr std::uint32_t single_changes_script = 0x80000000u;
  std::vector<std::uint32_t> single_three_byte;
  // Every CJK ideograph converted on its own (NFKC, Traditional -> Simplified,
  // either or both) ends in a CJK ideograph: then a '?' after a CJK character
  // in the input follows one in the output too (see script_state::clean).
  bool cjk_stays_cjk = false;
};

// Where a pass that stopped at possible mojibake left off, so that it can go
// on over the repaired text instead of starting again: the output so far
// covers the input's bytes [0, pos) and depended on no byte at or after
// horizon, so it stands for any text that agrees with the input before
// max(pos, horizon).
struct script_state {
  std::size_t pos = 0;
  std::size_t horizon = 0;
  std::size_t last_pos = 0;  // the writer's doubled-punctuation state
  int last_rank = 0;
  // Before `clean` the pass looked at every character on its own and found
  // no mojibake run and no '?' after a CJK character, so the mojibake pass
  // has nothing to do there and may start at `clean`.
  std::size_t clean = 0;
};

// With stop_at_mojibake, returns false as soon as it meets a character that
// may open a mojibake run (or a '?' after a CJK character), so that the caller
// runs the mojibake pass first and then this pass again; clean text, the
// usual case, thus costs no mojibake pass at all. Otherwise returns true.
// `state` is filled in when the pass stops. With resume, the pass goes on from
// `state` (out holds the stopped pass's output; `in` agrees with the stopped
// pass's input before max(state.pos, state.horizon)) instead of starting afresh.
bool convert_script(const text_buffer& in, const script_tables& tables, script_options opt,
                    bool stop_at_mojibake, text_buffer& out, normalize_stats& stats,
                    script_state& state, bool resume = false);

}  // namespace coopwatch::core::detail

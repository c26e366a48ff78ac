#pragma once
// Pass 3 of the normaliser, one walk over the text, character by character:
// NFKC (table fast path), Traditional -> Simplified, pinyin glosses out,
// doubled punctuation ("，，", "，。") reduced to the stronger mark, tabs to
// spaces.

#include "coopwatch/core/normalize.h"
#include "normalize_buffer.h"
#include "normalize_nfkc.h"
#include "t2s.h"

namespace coopwatch::core::detail {

struct script_options {
  bool nfkc = true;
  bool t2s = true;
  bool glosses = true;
  bool punctuation = true;
};

void convert_script(const text_buffer& in, const nfkc_table& nfkc, const t2s_table& t2s,
                    script_options opt, text_buffer& out, normalize_stats& stats);

}  // namespace coopwatch::core::detail

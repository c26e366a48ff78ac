#pragma once
// Pass 3 of the normaliser, one walk over the text: NFKC (table fast path),
// Traditional -> Simplified, pinyin glosses out, doubled punctuation ("，，",
// "，。") reduced to the stronger mark, tabs to spaces. A combined table says
// which characters need any of that; runs of the others are copied in bulk.

#include "coopwatch/core/normalize.h"
#include "normalize_buffer.h"
#include "normalize_cp_map.h"
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
  void build(const nfkc_table& nfkc, const t2s_table& t2s);

  const nfkc_table* nfkc = nullptr;
  const t2s_table* t2s = nullptr;
  cp_bitset attention;  // set: the character is not always copied as it is
};

void convert_script(const text_buffer& in, const script_tables& tables, script_options opt,
                    text_buffer& out, normalize_stats& stats);

}  // namespace coopwatch::core::detail

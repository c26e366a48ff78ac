#pragma once
// The normaliser's tables, parsed once and shared by every normalizer (and
// read by the relevance gate, which folds text the way the passes would).

#include "boilerplate.h"
#include "mojibake.h"
#include "normalize_nfkc.h"
#include "normalize_script.h"
#include "t2s.h"

namespace coopwatch::core {

struct normalizer_data {
  detail::t2s_table t2s;
  detail::nfkc_table nfkc;
  detail::script_tables script;  // refers to nfkc and t2s above
  detail::mojibake_tables mojibake;
  detail::boilerplate_lexicon boilerplate;
};

}  // namespace coopwatch::core

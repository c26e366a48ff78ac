#pragma once
// Topic tags of a classified item (funds, industry, labour, consumption,
// talent, meeting, pairing): each topic term counts once with its weight;
// a topic whose terms reach the threshold is tagged. Stateless.

#include <cstdint>
#include <string>
#include <vector>

#include "classify_data.h"

namespace coopwatch::core::detail {

// `entry_ids`: lexicon entries seen in the item (any order, repeats allowed;
// it is sorted and deduplicated in place). Appends topic names to `out` in
// the order of topics.tsv.
void tag_topics(const classifier_data& data, std::vector<std::uint32_t>& entry_ids,
                std::vector<std::string>& out);

}  // namespace coopwatch::core::detail

#include "topics.h"

#include <algorithm>

namespace coopwatch::core::detail {

void tag_topics(const classifier_data& data, std::vector<std::uint32_t>& entry_ids,
                std::vector<std::string>& out) {
  std::sort(entry_ids.begin(), entry_ids.end());
  entry_ids.erase(std::unique(entry_ids.begin(), entry_ids.end()), entry_ids.end());
  double sums[32] = {};
  for (auto id : entry_ids) {
    const auto& e = data.entries[id];
    if (e.topic >= 0 && e.topic < 32) sums[e.topic] += e.topic_weight;
  }
  for (std::size_t t = 0; t < data.topic_names.size() && t < 32; ++t)
    if (sums[t] >= data.weights.topic_min) out.push_back(data.topic_names[t]);
}

}  // namespace coopwatch::core::detail

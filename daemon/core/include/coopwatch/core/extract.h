#pragma once
// Key figures: every money, people and count quantity in a relevant item,
// normalised (133.08亿元 -> 13308000000 CNY), typed by metric from the
// governing words of its clause, and merged when the same fact is restated.
//
// extractor_data is immutable and shared; an extractor is per thread.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coopwatch/core/classify.h"
#include "coopwatch/core/item.h"
#include "coopwatch/core/normalize.h"
#include "coopwatch/core/resources.h"

namespace coopwatch::core {

struct mention {
  text_field field = text_field::body;
  std::uint32_t begin = 0;  // byte offsets in the normalised field, half-open
  std::uint32_t end = 0;
  std::uint32_t orig_begin = 0;  // byte offsets in the original field
  std::uint32_t orig_end = 0;
};

struct figure {
  double value = 0;                 // normalised to `unit` (yuan, persons, ...); lower bound if approximate
  std::optional<double> upper;      // upper bound of a range (3至5万 -> 30000 .. 50000)
  std::string unit;                 // CNY person person_time household count percent mu, or ISO currency
  std::string metric;               // fiscal_aid social_aid investment ... other
  std::string qualifier;            // 近 约 余 多 超过 ... as written, empty if none
  std::string period;               // 2019年, 2016年以来 ... when the clause states one
  std::string side;                 // "east", "west" or empty
  std::string text;                 // the figure as written in the normalised text, e.g. "133.08亿元"
  std::vector<mention> mentions;    // every mention of this same fact
};

[[nodiscard]] std::shared_ptr<const extractor_data> load_extractor_data(const data_files& files);

class extractor {
 public:
  explicit extractor(std::shared_ptr<const extractor_data> data);
  ~extractor();
  extractor(extractor&&) noexcept;
  extractor& operator=(extractor&&) noexcept;

  // Replaces the contents of `out` with the figures of the item (its elements'
  // capacity is reused). Never throws on any text; allocates only for output.
  void extract(const normalized_text& title, const normalized_text& body,
               const classification& cls, std::vector<figure>& out);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace coopwatch::core
